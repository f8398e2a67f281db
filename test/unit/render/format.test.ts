import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest'

import {type Column, csvCell, displayWidth, fitWidths, printRendered, renderRows, terminalWidth} from '../../../src/render/format.js'
import {parseCsv} from '../../support/csv.js'

interface Row {
  name: string
  count: number
  note?: string | null
  tags?: Record<string, string>
}

const columns: Array<Column<Row>> = [
  {header: 'Name', value: (r) => r.name},
  {header: 'Count', value: (r) => r.count},
  {header: 'Note', value: (r) => r.note},
  {header: 'Tags', value: (r) => r.tags},
]

const rows: Row[] = [
  {name: 'plain', count: 1, note: 'simple', tags: {env: 'prod'}},
  {name: 'a,b', count: 2, note: 'say "hi"', tags: {}},
  {name: 'multi\nline', count: 0, note: null},
  {name: 'pipe|d', count: 3, note: 'x | y'},
]

describe('renderRows json', () => {
  it('renders an array of objects keyed by column header, missing values as null', () => {
    const parsed = JSON.parse(renderRows(rows, columns, 'json')) as unknown[]
    expect(parsed).toEqual([
      {Name: 'plain', Count: 1, Note: 'simple', Tags: {env: 'prod'}},
      {Name: 'a,b', Count: 2, Note: 'say "hi"', Tags: {}},
      {Name: 'multi\nline', Count: 0, Note: null, Tags: null},
      {Name: 'pipe|d', Count: 3, Note: 'x | y', Tags: null},
    ])
  })

  it('renders no rows as []', () => {
    expect(JSON.parse(renderRows([], columns, 'json'))).toEqual([])
  })
})

describe('renderRows csv', () => {
  it('renders a header and CRLF-separated records, quoting as RFC 4180 requires', () => {
    const out = renderRows(rows, columns, 'csv')
    expect(out.split('\r\n')[0]).toBe('Name,Count,Note,Tags')
    expect(out).toBe(
      [
        'Name,Count,Note,Tags',
        'plain,1,simple,"{""env"":""prod""}"',
        '"a,b",2,"say ""hi""",{}',
        '"multi\nline",0,,',
        'pipe|d,3,x | y,',
      ].join('\r\n'),
    )
  })

  it('quotes headers that need it', () => {
    expect(renderRows([{name: 'x', count: 1}], [{header: 'Name, full', value: (r: Row) => r.name}], 'csv')).toBe('"Name, full"\r\nx')
  })
})

describe('csvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['"', '""""'],
    ['line\nbreak', '"line\nbreak"'],
    ['carriage\rreturn', '"carriage\rreturn"'],
    ['  spaced  ', '  spaced  '],
    // Formulas a spreadsheet would run are shown as text; numbers stay numbers.
    ['=HYPERLINK("http://x")', '"\'=HYPERLINK(""http://x"")"'],
    ['=1+2', "'=1+2"],
    ['+33 1 23', "'+33 1 23"],
    ['-cmd', "'-cmd"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['-10.50', '-10.50'],
    ['+3', '+3'],
    ['1e-7', '1e-7'],
    ['-', '-'],
    ['a=b', 'a=b'],
  ])('%j → %j', (input, expected) => {
    expect(csvCell(input)).toBe(expected)
  })
})

describe('renderRows md', () => {
  it('renders a Markdown table, escaping pipes and flattening line breaks', () => {
    const out = renderRows(rows, columns, 'md')
    expect(out.split('\n')).toEqual([
      '| Name | Count | Note | Tags |',
      '| --- | --- | --- | --- |',
      '| plain | 1 | simple | {"env":"prod"} |',
      '| a,b | 2 | say "hi" | {} |',
      '| multi line | 0 |  |  |',
      '| pipe\\|d | 3 | x \\| y |  |',
    ])
  })

  it('keeps a row on one line whatever the line break (CRLF, CR, LF)', () => {
    const out = renderRows([{name: 'a\r\nb\rc\nd', count: 1}], columns.slice(0, 2), 'md')
    expect(out.split(/\r\n|\r|\n/)).toHaveLength(3)
    expect(out.split('\n')[2]).toBe('| a b c d | 1 |')
  })

  it('escapes pipes in headers too', () => {
    expect(renderRows([], [{header: 'a|b', value: () => ''}], 'md').split('\n')[0]).toBe('| a\\|b |')
  })

  it('neutralises control characters, which could recolour the terminal or retitle it', () => {
    const out = renderRows([{name: 'evil\u001B[31mRED\u001B]0;pwned\u0007\tx', count: 1}], columns.slice(0, 2), 'md')
    expect(out.split('\n')[2]).toBe('| evil\uFFFD[31mRED\uFFFD]0;pwned\uFFFD x | 1 |')
  })
})

describe('renderRows csv round trip', () => {
  it('parses back to the same values with a strict RFC 4180 parser', () => {
    const tricky: Row[] = [
      {name: 'comma, inside', count: 1, note: '"quoted" and ""doubled""'},
      {name: 'crlf\r\nline', count: 2, note: 'cr\ronly'},
      {name: ' spaces kept ', count: 3, note: ''},
    ]
    const records = parseCsv(`${renderRows(tricky, columns.slice(0, 3), 'csv')}\r\n`)
    expect(records).toEqual([
      ['Name', 'Count', 'Note'],
      ['comma, inside', '1', '"quoted" and ""doubled""'],
      ['crlf\r\nline', '2', 'cr\ronly'],
      [' spaces kept ', '3', ''],
    ])
  })

  it('renders no rows as the header record alone', () => {
    expect(renderRows([], columns, 'csv')).toBe('Name,Count,Note,Tags')
  })
})

describe('renderRows md, more', () => {
  it('renders no rows as the header and separator, and nulls as empty cells', () => {
    expect(renderRows([], columns.slice(0, 2), 'md').split('\n')).toEqual(['| Name | Count |', '| --- | --- |'])
    expect(renderRows([{name: 'x', count: 1, note: null}], columns.slice(0, 3), 'md').split('\n')[2]).toBe('| x | 1 |  |')
  })
})

/** Tests below change stdout's isTTY and columns; put them back after each. */
function restoreStdoutAfterEach(): void {
  let tty: boolean | undefined
  let width: number | undefined
  beforeEach(() => {
    tty = process.stdout.isTTY
    width = process.stdout.columns
  })
  afterEach(() => {
    process.stdout.isTTY = tty as true
    process.stdout.columns = width as number
  })
}

describe('terminalWidth', () => {
  restoreStdoutAfterEach()

  it('is the terminal width when stdout is a terminal', () => {
    process.stdout.isTTY = true
    process.stdout.columns = 93
    expect(terminalWidth()).toBe(93)
  })

  it('is unknown when stdout is piped, whatever columns says', () => {
    process.stdout.isTTY = false as true
    process.stdout.columns = 40
    expect(terminalWidth()).toBeUndefined()
  })
})

describe('renderRows table', () => {
  restoreStdoutAfterEach()

  const arn = 'arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0123456789abcdef0'
  const note = 'a fairly long note that will not fit a narrow terminal'
  const long: Row[] = [
    {name: arn, count: 1, note},
    {name: 'short', count: 22, note: 'ok'},
  ]
  const narrowColumns = columns.slice(0, 3)
  const lines = (out: string) => out.split('\n')

  it('shows every value in full when the width is unknown', () => {
    const out = renderRows(long, narrowColumns, 'table', {width: undefined})
    expect(out).toContain(arn)
    expect(out).toContain(note)
    expect(out).not.toContain('…')
    for (const header of ['Name', 'Count', 'Note']) expect(out).toContain(header)
  })

  it('shows every value in full when it fits', () => {
    const out = renderRows(long, narrowColumns, 'table', {width: 300})
    expect(out).not.toContain('…')
    expect(out).toContain(arn)
  })

  it('truncates the widest values with an ellipsis to fit a narrow width, every line within it', () => {
    const out = renderRows(long, narrowColumns, 'table', {width: 60})
    for (const line of lines(out)) expect(line.length).toBeLessThanOrEqual(60)
    expect(out).toContain('…')
    expect(out).toContain('arn:aws:ec2:us-east-1')
    expect(out).not.toContain(arn)
    // Short values are left alone.
    expect(out).toContain('short')
    expect(out).toContain('22')
    expect(lines(out).some((l) => l.includes(' ok '))).toBe(true)
  })

  it('uses the whole width it is given', () => {
    const out = renderRows(long, narrowColumns, 'table', {width: 60})
    expect(Math.max(...lines(out).map((l) => l.length))).toBe(60)
  })

  it('fits the terminal when stdout is a terminal', () => {
    process.stdout.isTTY = true
    process.stdout.columns = 50
    const out = renderRows(long, narrowColumns, 'table')
    for (const line of lines(out)) expect(line.length).toBeLessThanOrEqual(50)
    expect(out).toContain('…')
  })

  it('never truncates when stdout is piped, even if a width is known', () => {
    process.stdout.isTTY = false as true
    process.stdout.columns = 50
    const out = renderRows(long, narrowColumns, 'table')
    expect(out).toContain(arn)
    expect(out).toContain(note)
    expect(out).not.toContain('…')
  })

  it('truncates headers too when their column must shrink', () => {
    const wide = [{header: 'A rather long column heading', value: (r: Row) => r.name}, {header: 'Count', value: (r: Row) => r.count}]
    const out = renderRows([{name: 'x'.repeat(40), count: 1}], wide, 'table', {width: 30})
    for (const line of lines(out)) expect(line.length).toBeLessThanOrEqual(30)
    expect(lines(out)[1]).toMatch(/A rather .*…/)
  })

  it('keeps every row on one line: line breaks and tabs become spaces', () => {
    const out = renderRows([{name: 'first\r\nsecond\nthird\rfourth\tfifth', count: 1}], columns.slice(0, 2), 'table', {width: undefined})
    // Top border, header, header rule, one row, bottom border.
    expect(lines(out)).toHaveLength(5)
    expect(out).toContain('first second third fourth fifth')
  })

  it('replaces control characters so values cannot drive the terminal', () => {
    const out = renderRows([{name: 'red\u001b[31malert\u0007', count: 1}], columns.slice(0, 2), 'table', {width: undefined})
    expect(out).not.toContain('\u001b')
    expect(out).not.toContain('\u0007')
    expect(out).toContain('red\uFFFD[31malert\uFFFD')
  })

  it('fits wide (East Asian) characters by their display width', () => {
    const out = renderRows([{name: '日本語のリソース名'.repeat(4), count: 1}], columns.slice(0, 2), 'table', {width: 30})
    for (const line of lines(out)) expect(displayWidth(line)).toBeLessThanOrEqual(30)
    expect(out).toContain('…')
  })

  it('aligns wide and combining characters by display width, cut or not', () => {
    const mixed: Row[] = [
      {name: '日本語', count: 1, note: 'e\u0301te\u0301'},
      {name: 'ascii-name', count: 2, note: '漢字漢字漢字漢字漢字漢字'},
    ]
    for (const width of [undefined, 30]) {
      const out = renderRows(mixed, columns.slice(0, 3), 'table', {width})
      expect(new Set(lines(out).map((l) => displayWidth(l))).size, out).toBe(1)
    }

    // 9 columns for the name: four wide characters and the ellipsis. With 8, the fourth would straddle
    // the cut, so it is left out whole and a space pads the cell.
    const cut = (width: number) => lines(renderRows([{name: '漢字漢字漢字漢字漢字', count: 1}], columns.slice(0, 2), 'table', {width}))[3]
    expect(cut(21)).toBe('│ 漢字漢字… │ 1     │')
    expect(cut(20)).toBe('│ 漢字漢…  │ 1     │')
  })

  it('renders objects as JSON and missing values as empty cells', () => {
    const out = renderRows([{name: 'n', count: 0, note: null, tags: {k: 'v'}}], columns, 'table', {width: 200})
    expect(out).toContain('{"k":"v"}')
    expect(out).not.toContain('null')
    expect(out).not.toContain('undefined')
  })

  it('renders no rows as the header alone', () => {
    const out = renderRows([], columns.slice(0, 2), 'table', {width: 80})
    expect(lines(out)).toHaveLength(4)
    expect(lines(out)[1]).toMatch(/Name.*Count/)
    expect(lines(out)[2]).toMatch(/^├─+┼─+┤$/)
  })

  it('aligns every line to the same width', () => {
    const out = renderRows(long, narrowColumns, 'table', {width: undefined})
    expect(new Set(lines(out).map((l) => l.length)).size).toBe(1)
  })
})

describe('fitWidths', () => {
  it('returns the widths untouched when they fit or the total is unknown', () => {
    const widths = [10, 20, 5]
    // 35 characters of content + 3 per column + 1 = 45.
    expect(fitWidths(widths, 45)).toBe(widths)
    expect(fitWidths(widths, undefined)).toBe(widths)
  })

  it('shrinks the widest column first, to exactly the total', () => {
    expect(fitWidths([10, 30, 5], 45)).toEqual([10, 20, 5])
  })

  it('shares the shrinking between columns that are equally wide', () => {
    expect(fitWidths([30, 30], 47)).toEqual([20, 20])
  })

  it('never shrinks a column below 8 characters, even if the table then does not fit', () => {
    expect(fitWidths([30, 30, 4], 20)).toEqual([8, 8, 4])
  })
})

describe('displayWidth', () => {
  it.each([
    ['plain', 5],
    ['', 0],
    ['日本', 4],
    ['e\u0301', 1],
    ['🙂', 2],
    ['ＡＢ', 4],
    ['a\u200db', 2],
    ['\u2764\ufe0f', 1],
  ])('%j is %i columns', (value, width) => {
    expect(displayWidth(value)).toBe(width)
  })
})

describe('printRendered', () => {
  it('ends CSV with CRLF, so the output is one RFC 4180 document, and other formats with a newline', () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
    try {
      printRendered('a,b\r\n1,2', 'csv')
      printRendered('| a |', 'md')
      expect(write.mock.calls.map((c) => c[0])).toEqual(['a,b\r\n1,2\r\n', '| a |\n'])
    } finally {
      write.mockRestore()
    }
  })
})
