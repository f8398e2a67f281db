import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {UserError} from '../../errors.js'
import {counted} from '../../words.js'
import {type Snapshot, activeSnapshotAdvice, deletableSnapshot, deleteSnapshot} from '../../store/snapshots.js'

export default class SnapshotDelete extends BaseCommand<typeof SnapshotDelete> {
  static override summary = 'Delete a stored snapshot (the AWS account is not touched).'
  static override storeAccess = 'update' as const
  static override examples = [
    '<%= config.bin %> snapshot delete snapshot-20260101-120000 --yes',
  ]

  static override args = {name: Args.string({description: 'Snapshot name.', required: true, ignoreStdin: true})}
  static override flags = {yes: Flags.boolean({char: 'y', description: 'Confirm the deletion.'})}

  async run(): Promise<{deleted: Snapshot}> {
    const store = this.openStore()
    // A deletion that would be refused anyway is refused first: --yes would not help.
    deletableSnapshot(store, this.args.name)
    if (!this.flags.yes) throw new UserError(`Deleting snapshot "${this.args.name}" cannot be undone; pass --yes to confirm.`, 2)
    const deleted = deleteSnapshot(store, this.args.name)
    if (!this.jsonEnabled()) {
      this.log(`Deleted snapshot ${deleted.name} (${counted(deleted.resourceCount, 'resource')}).`)
      // No other snapshot is made active behind the user's back: which one is the baseline is theirs to say.
      if (deleted.active) this.log(`It was the active snapshot of inventory "${deleted.inventory}", which has none now: ${activeSnapshotAdvice(store, deleted.inventory)}.`)
    }

    return {deleted}
  }
}
