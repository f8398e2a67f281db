import {Flags} from '@oclif/core'

import {BaseCommand, formatFlag} from '../../base-command.js'
import {type OutputFormat, printRendered} from '../../render/format.js'
import {formatSnapshotList, noSnapshotsText} from '../../render/snapshot-report.js'
import {requireInventory} from '../../store/inventories.js'
import {type Snapshot, listSnapshots} from '../../store/snapshots.js'

export default class SnapshotList extends BaseCommand<typeof SnapshotList> {
  static override summary = 'List stored snapshots, newest first.'
  static override storeAccess = 'read' as const
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
      const machine = format === 'json' || format === 'csv'
      // Nothing to list: people read why; programs get an empty document (a csv header, []) and the why on stderr.
      if (snapshots.length === 0 && !machine) this.log(noSnapshotsText(this.flags.inventory))
      else printRendered(formatSnapshotList(snapshots, format), format)
      if (snapshots.length === 0 && machine) process.stderr.write(`${noSnapshotsText(this.flags.inventory)}\n`)
    }

    return snapshots
  }
}
