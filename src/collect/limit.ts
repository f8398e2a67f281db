/** A counting semaphore: at most `size` holders at once, served by priority (lowest first), then in arrival order. */
export class Semaphore {
  private active = 0
  private readonly waiting: Array<{priority: number; resolve: () => void}> = []

  constructor(private readonly size: number) {}

  async run<T>(work: () => Promise<T>, priority = 0): Promise<T> {
    await this.acquire(priority)
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
  async pauseWithout<T>(pause: () => Promise<T>, priority = 0): Promise<T> {
    this.release()
    try {
      return await pause()
    } finally {
      await this.acquire(priority)
    }
  }

  private async acquire(priority: number): Promise<void> {
    // A released slot is handed straight to the next waiter, so a newcomer can never overtake it.
    if (this.active < this.size) {
      this.active++
      return
    }

    await new Promise<void>((resolve) => {
      const behind = this.waiting.findIndex((w) => w.priority > priority)
      this.waiting.splice(behind === -1 ? this.waiting.length : behind, 0, {priority, resolve})
    })
  }

  private release(): void {
    const next = this.waiting.shift()
    if (next) next.resolve()
    else this.active--
  }
}
