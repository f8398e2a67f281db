export type OutputFormat = 'table' | 'json' | 'csv' | 'md'

/** A column of a rendered table: its heading and how to read a row's cell. */
export interface Column<Row> {
  header: string
  value: (row: Row) => unknown
}

export interface RenderOptions {
  /**
   * Width tables must fit, in terminal columns. Defaults to the terminal's width when stdout is a
   * terminal; when it is not (piped or redirected), tables keep every value in full.
   */
  width?: number
}

/** The width of the terminal stdout is attached to, or undefined when stdout is not a terminal. */
export function terminalWidth(): number | undefined {
  return process.stdout.isTTY ? process.stdout.columns : undefined
}

/** Renders rows in the chosen format. Tables fit the terminal width where known. */
export function renderRows<Row>(
  rows: readonly Row[],
  columns: ReadonlyArray<Column<Row>>,
  format: OutputFormat,
  options: RenderOptions = {},
): string {
  switch (format) {
    case 'json': {
      return JSON.stringify(
        rows.map((row) => Object.fromEntries(columns.map((c) => [c.header, c.value(row) ?? null]))),
        null,
        2,
      )
    }

    case 'csv': {
      return [columns.map((c) => csvCell(c.header)), ...rows.map((row) => columns.map((c) => csvCell(text(c.value(row)))))]
        .map((cells) => cells.join(','))
        .join('\r\n')
    }

    case 'md': {
      const line = (cells: string[]) => `| ${cells.map((c) => mdCell(c)).join(' | ')} |`
      return [line(columns.map((c) => c.header)), line(columns.map(() => '---')), ...rows.map((row) => line(columns.map((c) => text(c.value(row)))))].join(
        '\n',
      )
    }

    default: {
      return renderTable(rows, columns, 'width' in options ? options.width : terminalWidth())
    }
  }
}

/**
 * Writes rendered output to stdout with the line ending its format needs: CSV records end in CRLF
 * (RFC 4180), the last one included, so the whole output is one well-formed CSV document.
 */
export function printRendered(output: string, format: OutputFormat): void {
  process.stdout.write(`${output}${format === 'csv' ? '\r\n' : '\n'}`)
}

/**
 * An aligned table with box-drawing borders and a rule under the header, its columns shrunk to fit `width` (values cut with …).
 * Laid out here rather than by a table library: it stays linear in the number of rows, so a report of
 * tens of thousands of resources prints in a moment.
 */
function renderTable<Row>(rows: readonly Row[], columns: ReadonlyArray<Column<Row>>, width: number | undefined): string {
  const head = columns.map((c) => displayText(c.header))
  const cells = rows.map((row) => columns.map((c) => displayText(text(c.value(row)))))
  const natural = head.map((h) => displayWidth(h))
  for (const row of cells) row.forEach((cell, i) => (natural[i] = Math.max(natural[i]!, displayWidth(cell))))
  const widths = fitWidths(natural, width)
  const border = (left: string, join: string, right: string) => `${left}${widths.map((w) => '─'.repeat(w + 2)).join(join)}${right}`
  const line = (values: string[]) => `│ ${values.map((value, i) => fitCell(value, widths[i]!)).join(' │ ')} │`
  return [border('┌', '┬', '┐'), line(head), border('├', '┼', '┤'), ...cells.map((row) => line(row)), border('└', '┴', '┘')].join('\n')
}

/** A value cut to `width` display columns (ending in … when cut) and padded with spaces to exactly that width. */
function fitCell(value: string, width: number): string {
  if (isPrintableAscii(value)) return value.length <= width ? value.padEnd(width) : `${value.slice(0, Math.max(0, width - 1))}…`
  let used = displayWidth(value)
  let fitted = value
  if (used > width) {
    fitted = ''
    used = 0
    for (const char of value) {
      const w = charWidth(char)
      if (used + w > width - 1) break
      fitted += char
      used += w
    }

    fitted += '…'
    used++
  }

  return fitted + ' '.repeat(Math.max(0, width - used))
}

/** Narrowest a column is shrunk to (unless its content is narrower): enough to recognise a value. */
const MIN_COLUMN_WIDTH = 8

/**
 * Shrinks the widest columns, one character at a time, until the table fits `total` characters
 * (borders and padding included). Returns `widths` itself when nothing needs to shrink.
 */
export function fitWidths(widths: readonly number[], total: number | undefined): readonly number[] {
  const overhead = widths.length * 3 + 1
  const sum = (ws: readonly number[]) => ws.reduce((a, b) => a + b, 0)
  if (!total || sum(widths) + overhead <= total) return widths
  const fitted = [...widths]
  while (sum(fitted) + overhead > total) {
    const widest = fitted.indexOf(Math.max(...fitted))
    if (fitted[widest]! <= MIN_COLUMN_WIDTH) break
    fitted[widest]!--
  }

  return fitted
}

/**
 * How many terminal columns a string takes: East Asian wide and emoji characters take two,
 * combining marks, joiners and variation selectors none.
 */
export function displayWidth(value: string): number {
  if (isPrintableAscii(value)) return value.length
  let width = 0
  for (const char of value) width += charWidth(char)
  return width
}

/** Printable ASCII, by far the most common text, takes one column a character. */
function isPrintableAscii(value: string): boolean {
  return /^[\x20-\x7e]*$/.test(value)
}

function charWidth(char: string): number {
  const code = char.codePointAt(0)!
  // Zero-width spaces and joiners, variation selectors, combining marks.
  if ((code >= 0x200b && code <= 0x200f) || (code >= 0xfe00 && code <= 0xfe0f) || /\p{Mn}|\p{Me}/u.test(char)) return 0
  return isWide(code) ? 2 : 1
}

function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf && code !== 0x303f) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1faff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  )
}

/**
 * A value as one table line: line breaks and tabs become spaces, and other control characters
 * (which could move the cursor or recolour the terminal) become U+FFFD.
 */
export function displayText(value: string): string {
  return value.replaceAll(/\r\n|[\r\n\t]/g, ' ').replaceAll(/\p{Cc}/gu, '\uFFFD')
}

function text(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/** Text for one Markdown table cell: on one line (as `displayText`), pipes escaped. */
export function mdCell(value: string): string {
  return displayText(value).replaceAll('|', '\\|')
}

/**
 * One RFC 4180 CSV field. Text a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab
 * or a carriage return: a tag value `=HYPERLINK(…)`) gets a leading `'`, which spreadsheets show as text;
 * numbers (`-10.5`) are left as they are.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]./s.test(value) && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe
}
