import {Command, Errors, Flags, type Interfaces} from '@oclif/core'

import {type AwsSession, openSession} from './aws/session.js'
import {HOME_REGION_VARIABLE, type RegionSelection, checkHomeRegion, homeRegionSelection, parseRegions} from './collect/regions.js'
import {UserError} from './errors.js'
import {type FlagSpelling, type FlagSpellings, typedFlag} from './flag-values.js'
import {expandHome} from './paths.js'
import {type Store, type StoreAccess, openStore, resolveStorageDir} from './store/database.js'
import {defaultInventory} from './store/inventories.js'
import {reapAbandonedCleanupRuns} from './store/cleanup-audit.js'
import {reapAbandonedSnapshots} from './store/snapshots.js'
import {canonicalOptionValues} from './option-case.js'
import {oneLine, usageErrorMessage} from './usage-errors.js'

export type CommandFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>
export type CommandArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>

/** `--format` for commands that print tables. */
export const formatFlag = Flags.string({
  char: 'f',
  description: 'Output format.',
  options: ['table', 'json', 'csv', 'md'],
  default: 'table',
})

/**
 * The other spellings of a type or region selection flag. Commands name these flags differently (`snapshot create
 * --regions --resource-types`, `delta --region --resource-type`, `cleanup --region --type`): each accepts them all.
 */
export function selectionAliases(name: string): string[] {
  const family = ['region', 'regions'].includes(name) ? ['region', 'regions'] : ['type', 'types', 'resource-type', 'resource-types']
  return family.filter((spelling) => spelling !== name)
}

/** A flag naming a file or directory: a leading `~/` is the home directory, as in a shell. */
export const pathFlag = Flags.custom<string>({
  async parse(input) {
    // A usage error (exit 2): oclif adds the flag's name.
    if (input.trim() === '') throw new Errors.CLIError('Expected a path, got an empty value', {exit: 2})
    return expandHome(input)
  },
})

/** Flags that make exit code 2 a result (drift, findings) rather than a usage error. */
const resultExitFlags = ['--exit-code', '--fail-on']

/** Shared flags, store and AWS session handling, and one-line error reporting for every command. */
export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override baseFlags = {
    // AWSINV_STORAGE_PATH is read by resolveStorageDir, not through `env`: oclif skips a variable set to nothing,
    // and would name the flag for a blank one.
    'storage-path': pathFlag({
      description: 'Directory of the awsinv database (default AWSINV_STORAGE_PATH, else ~/.snapshots).',
      helpGroup: 'GLOBAL',
    }),
    profile: Flags.string({
      description: 'AWS named profile (default AWSINV_PROFILE, then AWS_PROFILE).',
      helpGroup: 'GLOBAL',
    }),
    'endpoint-url': Flags.string({
      description: 'Custom AWS endpoint for every service, e.g. an emulator (default AWS_ENDPOINT_URL).',
      env: 'AWS_ENDPOINT_URL',
      helpGroup: 'GLOBAL',
    }),
    'max-attempts': Flags.integer({
      description: 'Attempts per AWS call, with adaptive retry.',
      default: 5,
      min: 1,
      max: 20,
      helpGroup: 'GLOBAL',
    }),
    'request-timeout': Flags.integer({
      description: 'Seconds an AWS request may wait to connect, or between two parts of its answer, before it fails as a network error and is retried.',
      default: 60,
      min: 1,
      max: 3600,
      helpGroup: 'GLOBAL',
    }),
    debug: Flags.boolean({description: 'Show stack traces for errors.', helpGroup: 'GLOBAL'}),
  }

  static override enableJsonFlag = true

  /**
   * `read` for a command that only reads the database: it never creates one, and works on a database it cannot
   * write (a read-only copy, directory or mount) as long as its schema is current. `update` for a command that
   * changes what is stored and has nothing to act on without a database: it never creates one either.
   */
  static storeAccess: StoreAccess = 'write'

  protected flags!: CommandFlags<T>
  protected args!: CommandArgs<T>
  private store?: Store
  private session?: AwsSession

  override async init(): Promise<void> {
    await super.init()
    const ctor = this.ctor as typeof BaseCommand
    const {args, flags} = await this.parse(
      {
        args: ctor.args,
        baseFlags: ctor.baseFlags,
        enableJsonFlag: ctor.enableJsonFlag,
        flags: ctor.flags,
        strict: ctor.strict,
      },
      // Choices are case-insensitive: --format JSON, --granularity monthly.
      canonicalOptionValues(this.argv, {...ctor.baseFlags, ...ctor.flags}),
    )
    this.flags = flags as CommandFlags<T>
    this.args = args as CommandArgs<T>
  }

  /**
   * The database, opened (and migrated where it can be written) on first use, with the command's `storeAccess`
   * unless `access` says otherwise for this run (`update` when the flags name something that has to be stored).
   */
  protected openStore(access?: StoreAccess): Store {
    if (!this.store) {
      const {storeAccess} = this.ctor as typeof BaseCommand
      this.store = openStore(resolveStorageDir(this.flags['storage-path']), {access: access ?? storeAccess})
      // Housekeeping any command does where it can write; a database opened read-only is shown as it is.
      if (this.store.writable) {
        // The default inventory exists for users from the start, not only after a first snapshot.
        defaultInventory(this.store)
        reapAbandonedSnapshots(this.store)
        reapAbandonedCleanupRuns(this.store)
      }
    }

    return this.store
  }

  /** The AWS session (home region, clients, caller identity), opened on first use. */
  protected async openSession(): Promise<AwsSession> {
    if (!this.session) {
      const profile = this.flags.profile ?? (process.env.AWSINV_PROFILE || undefined)
      this.session = await openSession({
        endpointUrl: this.flags['endpoint-url'],
        maxAttempts: this.flags['max-attempts'],
        requestTimeoutMs: this.flags['request-timeout'] * 1000,
        profile,
      })
      for (const note of this.session.notes) process.stderr.write(`Note: ${note}\n`)
    }

    return this.session
  }

  /** Flag `name` as the user typed it (`--type`, `-t`, `--resource-types`…), for messages about its value. */
  protected spelling(name: string): FlagSpelling {
    const flags: Record<string, FlagSpellings | undefined> = {...this.ctor.baseFlags, ...this.ctor.flags}
    return (isBad) => typedFlag(this.argv, name, flags[name] ?? {}, isBad)
  }

  /**
   * The regions a command works on: its --regions value, else AWSINV_REGION, else the profile / AWS_REGION
   * region as the SDK resolves it.
   */
  protected async regionSelection(flag: string | undefined): Promise<RegionSelection> {
    if (flag !== undefined) return parseRegions(flag, this.spelling('regions'))
    // AWSINV_REGION is the home region as well: one region, refused as the session refuses it.
    const single = process.env[HOME_REGION_VARIABLE]
    if (single) return {kind: 'list', regions: [checkHomeRegion(single, 'variable')]}
    const session = await this.openSession()
    return homeRegionSelection(session.homeRegion)
  }

  /** Whether progress may be drawn: stderr is a terminal and the output is not JSON. */
  protected showProgress(): boolean {
    return Boolean(process.stderr.isTTY) && !this.jsonEnabled()
  }

  protected override async catch(error: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<unknown> {
    if (error instanceof Errors.ExitError) return super.catch(error)
    if (this.flags?.debug && error.stack) this.logToStderr(error.stack)
    let message: string
    let exit: number
    if (error instanceof UserError) {
      ;({message, exitCode: exit} = error)
    } else if (error instanceof Errors.CLIError || error.oclif) {
      // oclif's usage errors (missing argument, unknown flag, bad option value) keep their exit code 2.
      message = usageErrorMessage(error, {argv: this.argv, flags: {...this.ctor.baseFlags, ...this.ctor.flags}, jsonFlag: this.ctor.enableJsonFlag})
      exit = error.oclif?.exit ?? 2
    } else {
      message = `Unexpected error: ${error.message} (run with --debug for details)`
      exit = 1
    }

    // With --exit-code (drift found) or --fail-on (findings at that severity), 2 is a result CI acts on:
    // every error, usage errors included, must exit 1.
    if (exit === 2 && this.argv.some((arg) => resultExitFlags.some((flag) => arg === flag || arg.startsWith(`${flag}=`)))) exit = 1
    message = oneLine(message)
    if (this.jsonEnabled()) {
      // oclif prints the JSON error and leaves the process exit code to process.exitCode (else 1).
      process.exitCode = exit
      return super.catch(new Errors.CLIError(message, {exit}))
    }

    process.stderr.write(`Error: ${message}\n`)
    return this.exit(exit)
  }

  protected override async finally(error: Error | undefined): Promise<unknown> {
    this.store?.close()
    await this.session?.clients.destroy()
    return super.finally(error)
  }
}
