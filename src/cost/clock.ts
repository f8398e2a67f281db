/**
 * The clock cost analysis reads "now" from: what "today" is, which months are closed, and when cached
 * responses expire. Tests replace `now` to pin those down; nothing else should.
 */
export const costClock = {
  now: (): Date => new Date(),
}
