import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {type Column, csvCell, renderRows} from '../../../src/render/format.js'

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
})

describe('renderRows table', () => {
  let columnsBefore: number | undefined
  beforeEach(() => {
    columnsBefore = process.stdout.columns
  })
  afterEach(() => {
    process.stdout.columns = columnsBefore as number
  })

  const long: Row[] = [
    {name: 'arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0123456789abcdef0', count: 1, note: 'a fairly long note that will not fit a narrow terminal'},
    {name: 'short', count: 22, note: 'ok'},
  ]
  const narrowColumns = columns.slice(0, 3)

  it('shows every value in full when the terminal width is unknown', () => {
    process.stdout.columns = undefined as unknown as number
    const out = renderRows(long, narrowColumns, 'table')
    expect(out).toContain('arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0123456789abcdef0')
    expect(out).toContain('a fairly long note that will not fit a narrow terminal')
    expect(out).not.toContain('…')
    for (const header of ['Name', 'Count', 'Note']) expect(out).toContain(header)
  })

  it('shows every value in full when it fits', () => {
    process.stdout.columns = 300
    expect(renderRows(long, narrowColumns, 'table')).not.toContain('…')
  })

  it('truncates the widest values with an ellipsis to fit a narrow terminal', () => {
    process.stdout.columns = 60
    const out = renderRows(long, narrowColumns, 'table')
    const lines = out.split('\n')
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(60)
    expect(out).toContain('…')
    expect(out).toContain('arn:aws:ec2:us-east-1')
    expect(out).not.toContain('vpc-0123456789abcdef0')
    // Short values are left alone.
    expect(out).toContain('short')
    expect(out).toContain('22')
    expect(lines.some((l) => l.includes('ok'))).toBe(true)
  })

  it('renders objects as JSON and missing values as empty cells', () => {
    process.stdout.columns = 200
    const out = renderRows([{name: 'n', count: 0, note: null, tags: {k: 'v'}}], columns, 'table')
    expect(out).toContain('{"k":"v"}')
    expect(out).not.toContain('null')
    expect(out).not.toContain('undefined')
  })
})
