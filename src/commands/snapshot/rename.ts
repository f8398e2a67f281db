import {Args} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {type Snapshot, renameSnapshot} from '../../store/snapshots.js'

export default class SnapshotRename extends BaseCommand<typeof SnapshotRename> {
  static override summary = 'Rename a stored snapshot.'
  static override storeAccess = 'update' as const
  static override args = {
    old: Args.string({description: 'Current name.', required: true, ignoreStdin: true}),
    new: Args.string({description: 'New name.', required: true, ignoreStdin: true}),
  }

  async run(): Promise<Snapshot> {
    const renamed = renameSnapshot(this.openStore(), this.args.old, this.args.new)
    if (!this.jsonEnabled()) this.log(`Renamed ${this.args.old} to ${renamed.name}.`)
    return renamed
  }
}
