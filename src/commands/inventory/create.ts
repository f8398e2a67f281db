import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {checkTagFilters, parseTagFilter} from '../../collect/filters.js'
import {type Inventory, checkInventoryDescription, insertInventory} from '../../store/inventories.js'
import {validateSnapshotName} from '../../store/snapshots.js'

export default class InventoryCreate extends BaseCommand<typeof InventoryCreate> {
  static override summary = 'Create a named inventory: a collection of snapshots taken with the same tag filters.'
  static override examples = ['<%= config.bin %> inventory create team-a --include-tags team=a --exclude-tags env=scratch']
  static override args = {name: Args.string({description: 'Inventory name.', required: true, ignoreStdin: true})}
  static override flags = {
    description: Flags.string({char: 'd', description: 'What the inventory is for.'}),
    'include-tags': Flags.string({description: 'Snapshots keep only resources carrying all of these tags: K=V,K2=V2.'}),
    'exclude-tags': Flags.string({description: 'Snapshots skip resources carrying any of these tags: K=V,K2=V2.'}),
  }

  async run(): Promise<Inventory> {
    const {flags} = this
    validateSnapshotName(this.args.name, 'inventory')
    const includeTags = flags['include-tags'] === undefined ? {} : parseTagFilter(flags['include-tags'], '--include-tags')
    const excludeTags = flags['exclude-tags'] === undefined ? {} : parseTagFilter(flags['exclude-tags'], '--exclude-tags')
    checkTagFilters(includeTags, excludeTags, '--include-tags and --exclude-tags')
    checkInventoryDescription(flags.description)
    const inventory = insertInventory(this.openStore(), {name: this.args.name, description: flags.description, includeTags, excludeTags})
    if (!this.jsonEnabled()) this.log(`Created inventory ${inventory.name}.`)
    return inventory
  }
}
