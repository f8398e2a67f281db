/** A counting semaphore: at most `size` holders at once, served in arrival order. */
export class Semaphore {
  private active = 0
  private readonly waiting: Array<() => void> = []

  constructor(private readonly size: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire()
    try {
      return await work()
    } finally {
      this.release()
    }
  }

  /**
   * For a holder (inside `run`): gives its slot up while `pause` runs, then queues for one again, behind
   * those already waiting. A holder that only waits (for AWS to finish something) then keeps no one out.
   */
  async pauseWithout<T>(pause: () => Promise<T>): Promise<T> {
    this.release()
    try {
      return await pause()
    } finally {
      await this.acquire()
    }
  }

  private async acquire(): Promise<void> {
    // A released slot is handed straight to the next waiter, so a newcomer can never overtake it.
    if (this.active >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve))
    else this.active++
  }

  private release(): void {
    const next = this.waiting.shift()
    if (next) next()
    else this.active--
  }
}
