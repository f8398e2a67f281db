import Table from 'cli-table3'

export type OutputFormat = 'table' | 'json' | 'csv' | 'md'

/** A column of a rendered table: its heading and how to read a row's cell. */
export interface Column<Row> {
  header: string
  value: (row: Row) => unknown
}

/** Renders rows in the chosen format. Tables fit the terminal width where known. */
export function renderRows<Row>(rows: readonly Row[], columns: ReadonlyArray<Column<Row>>, format: OutputFormat): string {
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
      const line = (cells: string[]) => `| ${cells.map((c) => c.replaceAll('|', '\\|').replaceAll(/\r\n|\r|\n/g, ' ')).join(' | ')} |`
      return [line(columns.map((c) => c.header)), line(columns.map(() => '---')), ...rows.map((row) => line(columns.map((c) => text(c.value(row)))))].join(
        '\n',
      )
    }

    default: {
      return renderTable(rows, columns)
    }
  }
}

function renderTable<Row>(rows: readonly Row[], columns: ReadonlyArray<Column<Row>>): string {
  const cells = rows.map((row) => columns.map((c) => text(c.value(row))))
  const widths = fitWidths(
    columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => r[i]!.length))),
    process.stdout.columns,
  )
  const table = new Table({
    head: columns.map((c) => c.header),
    style: {head: [], border: [], compact: true},
    chars: {mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': ''},
  })
  for (const row of cells) table.push(row.map((cell, i) => truncate(cell, widths[i]!)))
  return table.toString()
}

/** Shrinks the widest columns until the table fits `total` characters (borders and padding included). */
function fitWidths(widths: number[], total: number | undefined): number[] {
  if (!total) return widths
  const fitted = [...widths]
  const overhead = widths.length * 3 + 1
  while (fitted.reduce((a, b) => a + b, 0) + overhead > total) {
    const widest = fitted.indexOf(Math.max(...fitted))
    if (fitted[widest]! <= 8) break
    fitted[widest]!--
  }

  return fitted
}

function truncate(value: string, width: number): string {
  return value.length <= width ? value : `${value.slice(0, Math.max(1, width - 1))}…`
}

function text(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/** One RFC 4180 CSV field. */
export function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value
}
