/**
 * Money amounts as Cost Explorer gives them (decimal strings such as "0.0101516483"), added up exactly:
 * as integers of 10^-10 of the currency unit, Cost Explorer's own precision. Floating-point sums of
 * thousands of small amounts would drift in the last digits and no longer match the console.
 */
export type Amount = bigint

const DECIMALS = 10
const SCALE = 10n ** BigInt(DECIMALS)

/** Parses a Cost Explorer amount; absent or unparsable amounts count as zero. */
export function parseAmount(value: string | undefined): Amount {
  if (value === undefined) return 0n
  let text = value.trim()
  // Plain decimals are the norm; an exponent form is rewritten through Number, which is exact enough for it.
  if (/e/i.test(text)) text = Number(text).toFixed(DECIMALS)
  const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text)
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) return 0n
  const [, sign, whole, fraction = ''] = match
  const digits = BigInt(whole || '0') * SCALE + BigInt((fraction + '0'.repeat(DECIMALS)).slice(0, DECIMALS) || '0')
  return sign === '-' ? -digits : digits
}

/** Adds amounts up. */
export function sumAmounts(amounts: Iterable<Amount>): Amount {
  let total = 0n
  for (const a of amounts) total += a
  return total
}

/** The exact decimal string of an amount, with at least two decimals and no trailing zeros beyond them ("12.30", "0.0101516483"). */
export function formatAmount(amount: Amount): string {
  const negative = amount < 0n
  const abs = negative ? -amount : amount
  const whole = abs / SCALE
  const fraction = (abs % SCALE).toString().padStart(DECIMALS, '0').replace(/0+$/, '').padEnd(2, '0')
  return `${negative ? '-' : ''}${whole}.${fraction}`
}

/** The amount rounded to cents (half away from zero), for people: "12.35". */
export function formatCents(amount: Amount): string {
  const cent = SCALE / 100n
  const negative = amount < 0n
  const cents = ((negative ? -amount : amount) + cent / 2n) / cent
  const text = `${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`
  return negative && cents !== 0n ? `-${text}` : text
}

/** The amount as a number (for ratios and bar lengths, never for sums). */
export function amountToNumber(amount: Amount): number {
  return Number(amount) / Number(SCALE)
}

/** `part / whole` in percent with one decimal; null when `whole` is zero. */
export function sharePercent(part: Amount, whole: Amount): number | null {
  if (whole === 0n) return null
  return Math.round((1000 * amountToNumber(part)) / amountToNumber(whole)) / 10
}
