/** A count with its noun, singular for one: `counted(1, 'resource')` is "1 resource". */
export function counted(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`
}
