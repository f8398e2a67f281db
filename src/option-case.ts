/** What is read of a flag definition: its names, and the values it accepts. */
export interface FlagNames {
  type: string
  options?: readonly string[]
  aliases?: readonly string[]
  char?: string
}

/**
 * The command line with the value of every flag that takes one of a fixed set of values written as that
 * value is spelled (`--format JSON` → `--format json`, `--granularity monthly` → `--granularity MONTHLY`),
 * so that choices are case-insensitive; oclif compares them exactly. A value matching no choice is left
 * for oclif to refuse. Nothing after `--` is touched.
 */
export function canonicalOptionValues(argv: readonly string[], flags: Readonly<Record<string, FlagNames>>): string[] {
  const byName = new Map<string, readonly string[]>()
  for (const [name, flag] of Object.entries(flags)) {
    if (flag.type !== 'option' || flag.options === undefined) continue
    for (const spelling of [`--${name}`, ...(flag.aliases ?? []).map((alias) => `--${alias}`), ...(flag.char === undefined ? [] : [`-${flag.char}`])]) byName.set(spelling, flag.options)
  }

  const canonical = (options: readonly string[], value: string) => options.find((option) => option.toLowerCase() === value.toLowerCase()) ?? value
  const out = [...argv]
  for (let i = 0; i < out.length; i++) {
    const token = out[i]!
    if (token === '--') break
    const eq = token.indexOf('=')
    const attached = token.startsWith('--') && eq > 2 ? {name: token.slice(0, eq), value: token.slice(eq + 1)} : /^-[A-Za-z]./.test(token) ? {name: token.slice(0, 2), value: token.slice(2)} : undefined
    if (attached !== undefined) {
      const options = byName.get(attached.name)
      if (options !== undefined) out[i] = `${token.slice(0, token.length - attached.value.length)}${canonical(options, attached.value)}`
      continue
    }

    const options = byName.get(token)
    if (options !== undefined && i + 1 < out.length) {
      out[i + 1] = canonical(options, out[i + 1]!)
      i++
    }
  }

  return out
}
