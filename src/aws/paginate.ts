/**
 * Yields every page of a token-paginated AWS call. `tokenIn` is the request field that takes the token,
 * `tokenOut` the response field that returns it; pagination ends when no token comes back.
 */
export async function* paginate<Req extends object, Res extends object>(
  call: (request: Req) => Promise<Res>,
  request: Req,
  tokenIn: string,
  tokenOut: string,
): AsyncGenerator<Res> {
  let token: unknown
  const seen = new Set<unknown>()
  do {
    const page = await call(token === undefined ? request : {...request, [tokenIn]: token})
    yield page
    token = (page as Record<string, unknown>)[tokenOut]
    // A service that hands back the same token again would loop forever.
    if (token !== undefined && token !== null && token !== '' && seen.has(token)) break
    seen.add(token)
  } while (token !== undefined && token !== null && token !== '')
}

/** Pages of the items under `key` of each response of a paginated call. */
export async function* paginateItems<Req extends object, Res extends object, K extends string>(
  call: (request: Req) => Promise<Res>,
  request: Req,
  tokenIn: string,
  tokenOut: string,
  key: K,
): AsyncGenerator<NonNullable<Res[K & keyof Res]>> {
  // K is not constrained to keyof Res because Res is only inferred after it; a wrong key yields `never`.
  for await (const page of paginate(call, request, tokenIn, tokenOut)) {
    const items = (page as Record<string, unknown>)[key]
    if (items) yield items as NonNullable<Res[K & keyof Res]>
  }
}

/** Every item of every page. */
export async function collectPages<T>(pages: AsyncIterable<readonly T[]>): Promise<T[]> {
  const all: T[] = []
  for await (const page of pages) all.push(...page)
  return all
}

/**
 * Describes `items` `size` at a time (checking `signal` before each batch), yielding each batch's results
 * without the undefined ones (items that vanished since they were listed). Batches left empty are not
 * yielded; the first error thrown by `describe` propagates and ends the iteration.
 */
export async function* describeInBatches<T, R>(
  items: readonly T[],
  size: number,
  signal: AbortSignal,
  describe: (item: T) => Promise<R | undefined>,
): AsyncGenerator<R[]> {
  // A size below 1 would never advance.
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`batch size must be a positive integer, got ${size}`)
  for (let i = 0; i < items.length; i += size) {
    signal.throwIfAborted()
    // Awaited<R> is R here (a promise never resolves to a thenable), but TypeScript cannot see it for a generic R.
    const described = (await Promise.all(items.slice(i, i + size).map((item) => describe(item)))) as Array<R | undefined>
    const found = described.filter((r): r is R => r !== undefined)
    if (found.length > 0) yield found
  }
}
