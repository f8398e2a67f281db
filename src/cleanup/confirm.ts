import {createInterface} from 'node:readline'

import type {AwsClients} from '../aws/clients.js'
import {UserError} from '../errors.js'
import {counted} from '../words.js'
import {countPlan} from './plan.js'
import type {CleanupPlan} from './types.js'

/** How a deletion is confirmed: by `--yes`, or by the user typing the account id at a prompt. */
export type Confirmation = 'yes-flag' | 'prompt'

/** Exit code of a refusal to delete because of how awsinv was invoked (a usage error). */
const USAGE = 2

/** Refuses to delete without `--confirm`, saying how to review first. */
export function requireConfirmFlag(confirm: boolean, command: string, preview: string): void {
  if (!confirm) throw new UserError(`Nothing was deleted: "${command}" deletes only with --confirm. Review the plan with "${preview}", then add --confirm.`, USAGE)
}

/**
 * How this run is confirmed: `--yes` skips the prompt; otherwise the prompt needs a terminal on stdin.
 * Without either, a UserError: awsinv never deletes unasked.
 */
export function confirmationMode(options: {yes: boolean; interactive: boolean}): Confirmation {
  if (options.yes) return 'yes-flag'
  if (options.interactive) return 'prompt'
  throw new UserError('Nothing was deleted: stdin is not a terminal, so awsinv cannot ask for confirmation. Review the plan, then run again with --yes.', USAGE)
}

/** What the prompt says before asking: the account, its alias, the regions, and what will be deleted. */
export function confirmationMessage(plan: CleanupPlan, alias: string | null): string {
  const {deletions, included, preparations} = countPlan(plan)
  const along = included > 0 ? ` and ${included} that AWS deletes with them` : ''
  const prepare = preparations > 0 ? `, after ${counted(preparations, 'preparation')}` : ''
  const name = alias === null ? 'no account alias' : `alias ${alias}`
  // Where the items are, from the items themselves: what is about to go, whatever was collected.
  const regions = [...new Set(plan.waves.flatMap((w) => w.items.flatMap((i) => [i.region, ...i.includes.map((x) => x.region)])))].sort()
  const where = `${regions.length === 1 ? 'region' : 'regions'} ${regions.length > 1 ? `${regions.slice(0, -1).join(', ')} and ${regions.at(-1)}` : regions.join('')}`
  return [
    `About to ${plan.mode === 'purge' ? 'PURGE' : 'delete'} ${counted(deletions, 'resource')}${along}${prepare}, in ${counted(plan.waves.length, 'wave')},`,
    `in AWS account ${plan.accountId} (${name}), ${where}, as ${plan.caller.arn}. This cannot be undone.`,
  ].join('\n')
}

/** Whether the typed answer confirms: exactly the account id (surrounding spaces ignored). */
export function isConfirmed(answer: string, accountId: string): boolean {
  return answer.trim() === accountId
}

/** The account's alias (IAM ListAccountAliases), or null when it has none or it cannot be read. */
export async function accountAlias(clients: AwsClients): Promise<string | null> {
  try {
    const iam = await clients.get('iam')
    return (await iam.listAccountAliases({})).AccountAliases?.[0] ?? null
  } catch {
    // Only shown to people: a denied read must not stop a confirmed run.
    return null
  }
}

/** Where the prompt reads and writes (the terminal; streams in tests). */
export interface PromptIo {
  input: NodeJS.ReadableStream
  output: NodeJS.WritableStream
  /** Whether `input` is a terminal (echo and line editing). */
  terminal: boolean
}

/**
 * Asks (question on stderr) for the account id; throws UserError when the answer is anything else, or
 * when input ends or is interrupted (Ctrl-C at the prompt, or `signal`: SIGINT or SIGTERM sent to the
 * process), so nothing is deleted.
 */
export async function promptForAccount(
  plan: CleanupPlan,
  alias: string | null,
  io: PromptIo = {input: process.stdin, output: process.stderr, terminal: true},
  signal?: AbortSignal,
): Promise<void> {
  if (signal?.aborted) throw new UserError('Interrupted before the confirmation; nothing was deleted.', 130)
  const rl = createInterface({input: io.input, output: io.output, terminal: io.terminal})
  const onAbort = () => rl.close()
  signal?.addEventListener('abort', onAbort, {once: true})
  const answer = await new Promise<string | null>((resolve) => {
    rl.once('close', () => resolve(null))
    rl.once('SIGINT', () => rl.close())
    rl.question(`${confirmationMessage(plan, alias)}\nType the account id to confirm: `, (typed) => resolve(typed))
  })
  signal?.removeEventListener('abort', onAbort)
  rl.close()
  if (answer === null && signal?.aborted) throw new UserError('Interrupted at the confirmation; nothing was deleted.', 130)
  if (answer === null) throw new UserError('Aborted: no answer; nothing was deleted.', 130)
  if (!isConfirmed(answer, plan.accountId)) throw new UserError(`Aborted: "${answer.trim()}" is not the account id ${plan.accountId}; nothing was deleted.`)
}
