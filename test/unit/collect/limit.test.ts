import {describe, expect, it} from 'vitest'

import {Semaphore} from '../../../src/collect/limit.js'

/** A promise with its resolve and reject exposed. */
function deferred<T = void>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return {promise, resolve, reject}
}

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0))

describe('Semaphore', () => {
  it.each([1, 2, 3])('never runs more than %i at once, and runs that many when work is waiting', async (size) => {
    const semaphore = new Semaphore(size)
    let active = 0
    let peak = 0
    const work = async (ms: number) => {
      active++
      peak = Math.max(peak, active)
      await new Promise((resolve) => setTimeout(resolve, ms))
      active--
      return ms
    }

    const results = await Promise.all(Array.from({length: 10}, (_, i) => semaphore.run(() => work(1 + (i % 3)))))
    expect(results).toEqual(Array.from({length: 10}, (_, i) => 1 + (i % 3)))
    expect(peak).toBe(size)
    expect(active).toBe(0)
  })

  it('gives a holder’s slot to the next waiter while the holder pauses, and queues the holder behind it', async () => {
    const semaphore = new Semaphore(1)
    const resume = deferred()
    const events: string[] = []
    const a = semaphore.run(async () => {
      events.push('a works')
      await semaphore.pauseWithout(async () => {
        events.push('a pauses')
        await resume.promise
      })
      events.push('a works again')
    })
    const b = semaphore.run(async () => {
      events.push('b works')
      await tick()
      events.push('b done')
    })
    await tick()
    resume.resolve()
    await Promise.all([a, b])
    expect(events).toEqual(['a works', 'a pauses', 'b works', 'b done', 'a works again'])
  })

  it('serves waiters in arrival order', async () => {
    const semaphore = new Semaphore(1)
    const gates = Array.from({length: 5}, () => deferred())
    const started: number[] = []
    const runs = gates.map((gate, i) =>
      semaphore.run(async () => {
        started.push(i)
        await gate.promise
      }),
    )
    await tick()
    expect(started).toEqual([0])
    // Release out of order: only the holder's release matters, and the next in line gets the slot.
    gates[3]!.resolve()
    gates[0]!.resolve()
    await tick()
    expect(started).toEqual([0, 1])
    gates[1]!.resolve()
    gates[2]!.resolve()
    gates[4]!.resolve()
    await Promise.all(runs)
    expect(started).toEqual([0, 1, 2, 3, 4])
  })

  it('serves lower priorities first, equal ones in arrival order, also a holder back from a pause', async () => {
    const semaphore = new Semaphore(1)
    const holder = deferred()
    const resume = deferred()
    const started: string[] = []
    const first = semaphore.run(async () => {
      started.push('holder')
      await semaphore.pauseWithout(() => resume.promise, 0)
      started.push('holder again')
      await holder.promise
    }, 0)
    await tick()
    // The holder pauses: a waiter of priority 1 takes the slot, others queue.
    const runs = [
      semaphore.run(async () => {
        started.push('late 1')
        await tick()
      }, 1),
      semaphore.run(async () => {
        started.push('later 2')
      }, 2),
      semaphore.run(async () => {
        started.push('next 1')
      }, 1),
    ]
    await tick()
    resume.resolve()
    holder.resolve()
    await Promise.all([first, ...runs])
    // Back from its pause, the holder (priority 0) goes before the waiters that came first.
    expect(started).toEqual(['holder', 'late 1', 'holder again', 'next 1', 'later 2'])
  })

  it('hands a released slot to a waiter before a newcomer', async () => {
    const semaphore = new Semaphore(1)
    const holder = deferred()
    const order: string[] = []
    const first = semaphore.run(() => holder.promise)
    const waiter = semaphore.run(async () => {
      order.push('waiter')
    })
    holder.resolve()
    await first
    // The slot was handed over when the holder finished; a newcomer now queues behind the waiter.
    const newcomer = semaphore.run(async () => {
      order.push('newcomer')
    })
    await Promise.all([waiter, newcomer])
    expect(order).toEqual(['waiter', 'newcomer'])
  })

  it('releases the slot when the work fails, and passes the error on', async () => {
    const semaphore = new Semaphore(1)
    const failing = semaphore.run(async () => {
      throw new Error('boom')
    })
    const after = semaphore.run(async () => 'ran')
    await expect(failing).rejects.toThrow('boom')
    await expect(after).resolves.toBe('ran')

    // Also when the work throws synchronously.
    const sync = semaphore.run(() => {
      throw new Error('sync boom')
    })
    await expect(sync).rejects.toThrow('sync boom')
    await expect(semaphore.run(async () => 'still free')).resolves.toBe('still free')
  })

  it('keeps its capacity after many failures', async () => {
    const semaphore = new Semaphore(2)
    await Promise.allSettled(Array.from({length: 6}, () => semaphore.run(async () => Promise.reject(new Error('x')))))
    let active = 0
    let peak = 0
    await Promise.all(
      Array.from({length: 6}, () =>
        semaphore.run(async () => {
          active++
          peak = Math.max(peak, active)
          await tick()
          active--
        }),
      ),
    )
    expect(peak).toBe(2)
  })
})
