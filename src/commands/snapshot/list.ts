import {Flags} from '@oclif/core'

import {BaseCommand, formatFlag} from '../../base-command.js'
import {type OutputFormat, printRendered, renderRows} from '../../render/format.js'
import {requireInventory} from '../../store/inventories.js'
import {type Snapshot, listSnapshots} from '../../store/snapshots.js'

export default class SnapshotList extends BaseCommand<typeof SnapshotList> {
  static override summary = 'List stored snapshots, newest first.'
  static override examples = [
    '<%= config.bin %> snapshot list',
    '<%= config.bin %> snapshot list --inventory team-a --format csv',
  ]

  static override flags = {
    inventory: Flags.string({char: 'i', description: 'Only snapshots of this inventory.'}),
    format: formatFlag,
  }

  async run(): Promise<Snapshot[]> {
    const store = this.openStore()
    if (this.flags.inventory !== undefined) requireInventory(store, this.flags.inventory)
    const snapshots = listSnapshots(store, this.flags.inventory)
    if (!this.jsonEnabled()) {
      const format = this.flags.format as OutputFormat
      printRendered(
        snapshots.length === 0
          ? 'No snapshots yet. Take one with "awsinv snapshot create".'
          : renderRows(
              snapshots,
              [
                {header: 'Name', value: (s) => `${s.name}${s.active ? ' *' : ''}`},
                {header: 'Inventory', value: (s) => s.inventory},
                {header: 'Status', value: (s) => s.status},
                {header: 'Account', value: (s) => s.accountId},
                {header: 'Regions', value: (s) => s.regions.join(',')},
                {header: 'Resources', value: (s) => s.resourceCount},
                {header: 'Gaps', value: (s) => s.gapCount},
                {header: 'Started', value: (s) => s.startedAt},
              ],
              format,
            ),
        format,
      )
    }

    return snapshots
  }
}
