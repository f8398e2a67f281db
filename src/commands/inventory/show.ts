import {Args} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {displayText} from '../../render/format.js'
import {counted} from '../../words.js'
import {type Inventory, requireInventory} from '../../store/inventories.js'
import {type Snapshot, listSnapshots} from '../../store/snapshots.js'

export default class InventoryShow extends BaseCommand<typeof InventoryShow> {
  static override summary = 'An inventory with its filters and snapshots.'
  static override storeAccess = 'read' as const
  static override args = {name: Args.string({description: 'Inventory name.', required: true, ignoreStdin: true})}

  async run(): Promise<Inventory & {snapshots: Snapshot[]}> {
    const store = this.openStore()
    const inventory = requireInventory(store, this.args.name)
    const snapshots = listSnapshots(store, inventory.name)
    if (!this.jsonEnabled()) {
      const tags = (t: Record<string, string>) => displayText(Object.entries(t).map(([k, v]) => `${k}=${v}`).join(', ')) || 'none'
      this.log(`Inventory ${inventory.name}${inventory.description ? ` — ${inventory.description}` : ''}`)
      this.log(`  include tags: ${tags(inventory.includeTags)}\n  exclude tags: ${tags(inventory.excludeTags)}`)
      const take = `awsinv snapshot create${inventory.name === 'default' ? '' : ` --inventory ${inventory.name}`}`
      this.log(snapshots.length === 0 ? `  snapshots: none yet (take one with "${take}")` : `  snapshots (${snapshots.length}):`)
      for (const s of snapshots) this.log(`    ${s.active ? '*' : ' '} ${s.name}  ${s.status}  ${counted(s.resourceCount, 'resource')}  ${s.startedAt}`)
    }

    return {...inventory, snapshots}
  }
}
