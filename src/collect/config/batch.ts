import {counted} from '../../words.js'

/** How unprocessed keys of a batch call are retried. */
export interface UnprocessedRetry {
  /** Calls per batch, the first included, before the batch is given up. */
  attempts: number
  /** Delay before the first retry; doubled for each further one (with jitter), up to `maxDelayMs`. */
  baseDelayMs: number
  maxDelayMs: number
}

export const defaultUnprocessedRetry: UnprocessedRetry = {attempts: 5, baseDelayMs: 250, maxDelayMs: 4000}

/** AWS Config's batch calls take at most 100 keys. */
export const CONFIG_BATCH_SIZE = 100

/** Thrown when a batch still has unprocessed keys after every attempt: the cell then falls back. */
export class UnprocessedKeysError extends Error {
  constructor(
    readonly unprocessed: number,
    readonly attempts: number,
  ) {
    super(`AWS Config left ${counted(unprocessed, 'resource key')} unprocessed after ${counted(attempts, 'attempt')}`)
    this.name = 'UnprocessedResourceKeys'
  }
}

/** Splits `items` into consecutive groups of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, got ${size}`)
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/**
 * Fetches one batch of keys, then re-asks for the keys the service left unprocessed, with exponential
 * backoff, until none is left or the attempts run out (then throws UnprocessedKeysError). Yields the
 * items of every answer as they arrive.
 */
export async function* fetchBatchWithRetry<Key, Item>(
  keys: readonly Key[],
  fetch: (keys: Key[]) => Promise<{items: Item[]; unprocessed: Key[]}>,
  retry: UnprocessedRetry,
  signal: AbortSignal,
): AsyncGenerator<Item[]> {
  let pending = [...keys]
  for (let attempt = 1; pending.length > 0; attempt++) {
    signal.throwIfAborted()
    const {items, unprocessed} = await fetch(pending)
    if (items.length > 0) yield items
    pending = unprocessed
    if (pending.length === 0) return
    if (attempt >= retry.attempts) throw new UnprocessedKeysError(pending.length, attempt)
    await sleep(backoff(attempt, retry), signal)
  }
}

function backoff(attempt: number, retry: UnprocessedRetry): number {
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1))
  // Half fixed, half jitter: spread out the retries of cells running at once.
  return ceiling / 2 + Math.random() * (ceiling / 2)
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal.reason)
    }

    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, {once: true})
  })
}
