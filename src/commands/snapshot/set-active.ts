import {Args} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {type Snapshot, setActiveSnapshot} from '../../store/snapshots.js'

export default class SnapshotSetActive extends BaseCommand<typeof SnapshotSetActive> {
  static override summary = "Make a snapshot its inventory's active snapshot (the default baseline)."
  static override storeAccess = 'update' as const
  static override args = {name: Args.string({description: 'Snapshot name.', required: true, ignoreStdin: true})}

  async run(): Promise<Snapshot> {
    const snapshot = setActiveSnapshot(this.openStore(), this.args.name)
    if (!this.jsonEnabled()) this.log(`${snapshot.name} is now the active snapshot of inventory ${snapshot.inventory}.`)
    return snapshot
  }
}
