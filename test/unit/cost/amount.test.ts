import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {amountToNumber, formatAmount, formatCents, parseAmount, sharePercent, sumAmounts} from '../../../src/cost/amount.js'

describe('amounts', () => {
  it('parses Cost Explorer strings exactly, to 10 decimals', () => {
    expect(formatAmount(parseAmount('0.0101516483'))).toBe('0.0101516483')
    expect(formatAmount(parseAmount('12.3'))).toBe('12.30')
    expect(formatAmount(parseAmount('-0.0000000001'))).toBe('-0.0000000001')
    expect(formatAmount(parseAmount('7'))).toBe('7.00')
    expect(formatAmount(parseAmount('1.5e-7'))).toBe('0.00000015')
    expect(formatAmount(parseAmount(undefined))).toBe('0.00')
    expect(formatAmount(parseAmount('n/a'))).toBe('0.00')
  })

  it('adds thousands of small amounts without floating-point drift', () => {
    const amounts = Array.from({length: 10_000}, () => parseAmount('0.0000000013'))
    expect(formatAmount(sumAmounts(amounts))).toBe('0.000013')
    // What floating point would have said:
    expect(Array.from({length: 10_000}, () => 0.0000000013).reduce((a, b) => a + b, 0)).not.toBe(0.000013)
  })

  it('rounds to cents half away from zero for people', () => {
    expect(formatCents(parseAmount('10.005'))).toBe('10.01')
    expect(formatCents(parseAmount('10.0049999999'))).toBe('10.00')
    expect(formatCents(parseAmount('-3.456'))).toBe('-3.46')
    expect(formatCents(parseAmount('-0.001'))).toBe('0.00')
    expect(formatCents(parseAmount('1234567.891'))).toBe('1234567.89')
  })

  it('shares in percent with one decimal, null of nothing', () => {
    expect(sharePercent(parseAmount('1'), parseAmount('3'))).toBe(33.3)
    expect(sharePercent(parseAmount('2'), parseAmount('3'))).toBe(66.7)
    expect(sharePercent(parseAmount('1'), 0n)).toBeNull()
    expect(amountToNumber(parseAmount('2.5'))).toBe(2.5)
  })

  it('round-trips any decimal with up to 10 decimals', () => {
    fc.assert(
      fc.property(fc.bigInt({min: -(10n ** 16n), max: 10n ** 16n}), (units) => {
        expect(parseAmount(formatAmount(units))).toBe(units)
      }),
    )
  })
})
