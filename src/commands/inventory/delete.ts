import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {UserError} from '../../errors.js'
import {counted} from '../../words.js'
import {deletableInventory, deleteInventory} from '../../store/inventories.js'

export default class InventoryDelete extends BaseCommand<typeof InventoryDelete> {
  static override summary = 'Delete an inventory (refused while it holds snapshots, unless --delete-snapshots).'
  static override storeAccess = 'update' as const
  static override examples = [
    '<%= config.bin %> inventory delete team-a --yes',
    '<%= config.bin %> inventory delete team-a --delete-snapshots --yes',
  ]

  static override args = {name: Args.string({description: 'Inventory name.', required: true, ignoreStdin: true})}
  static override flags = {
    yes: Flags.boolean({char: 'y', description: 'Confirm the deletion.'}),
    'delete-snapshots': Flags.boolean({description: "Also delete the inventory's snapshots."}),
  }

  async run(): Promise<{deleted: string; deletedSnapshots: number}> {
    const store = this.openStore()
    // A deletion that would be refused anyway is refused first: --yes would not help.
    deletableInventory(store, this.args.name, this.flags['delete-snapshots'])
    if (!this.flags.yes) throw new UserError(`Deleting inventory "${this.args.name}" cannot be undone; pass --yes to confirm.`, 2)
    const {deletedSnapshots} = deleteInventory(store, this.args.name, this.flags['delete-snapshots'])
    if (!this.jsonEnabled()) this.log(`Deleted inventory ${this.args.name}${deletedSnapshots ? ` and ${counted(deletedSnapshots, 'snapshot')}` : ''}.`)
    return {deleted: this.args.name, deletedSnapshots}
  }
}
