import {chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {exportResources} from '../../../src/render/export.js'
import {UserError} from '../../../src/errors.js'
import type {Store} from '../../../src/store/database.js'
import {iterateResources} from '../../../src/store/reports.js'
import {SnapshotWriter} from '../../../src/store/writer.js'
import {parseCsv} from '../../support/csv.js'
import {fakeResource, seedSnapshot, tempStores} from '../../support/store.js'

const stores = tempStores('awsinv-export-')
const outDirs: string[] = []
afterEach(() => {
  stores.cleanup()
  for (const dir of outDirs.splice(0)) rmSync(dir, {recursive: true, force: true})
})

function outDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'awsinv-export-out-'))
  outDirs.push(dir)
  return dir
}

const tricky = 'a,b "quoted"\r\nnext line'

function seeded(store: Store): number {
  const id = seedSnapshot(store, 's1')
  new SnapshotWriter(store, id).write(
    [
      fakeResource('vpc-1', {name: tricky, createdAt: '2024-01-01T00:00:00.000Z', tags: {note: tricky, env: 'prod'}}),
      fakeResource('vpc-2', {region: 'eu-west-1'}),
    ],
    'ec2',
  )
  return id
}

describe('exportResources', () => {
  it('writes a JSON array of every resource with its tags', async () => {
    const store = stores.open()
    const id = seeded(store)
    const file = join(outDir(), 'out.json')
    expect(await exportResources(store, id, file)).toEqual({path: file, resources: 2})
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown[]
    expect(parsed).toEqual([...iterateResources(store, id)])
    expect(parsed[1]).toMatchObject({id: 'vpc-1', name: tricky, tags: {note: tricky, env: 'prod'}, createdAt: '2024-01-01T00:00:00.000Z'})
  })

  it('writes an empty JSON array for an empty snapshot', async () => {
    const store = stores.open()
    const id = seedSnapshot(store, 'empty')
    const file = join(outDir(), 'empty.json')
    expect((await exportResources(store, id, file)).resources).toBe(0)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual([])
  })

  it('writes RFC 4180 CSV: CRLF records, fields with commas, quotes or line breaks quoted', async () => {
    const store = stores.open()
    const id = seeded(store)
    const file = join(outDir(), 'out.CSV')
    expect((await exportResources(store, id, file)).resources).toBe(2)
    const text = readFileSync(file, 'utf8')
    expect(text.startsWith('arn,type,id,name,region,accountId,createdAt,source,tags\r\n')).toBe(true)
    // The name holds a comma, quotes and a CRLF: quoted, quotes doubled, the line break kept verbatim.
    expect(text).toContain(`,"a,b ""quoted""\r\nnext line",`)

    const [header, ...rows] = parseCsv(text)
    expect(header).toEqual(['arn', 'type', 'id', 'name', 'region', 'accountId', 'createdAt', 'source', 'tags'])
    expect(rows).toHaveLength(2)
    const byId = Object.fromEntries(rows.map((r) => [r[2], r]))
    expect(byId['vpc-1']).toEqual([
      'arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1',
      'AWS::EC2::VPC',
      'vpc-1',
      tricky,
      'us-east-1',
      '123456789012',
      '2024-01-01T00:00:00.000Z',
      'api',
      expect.any(String),
    ])
    // Tags are a JSON object in one field, and round-trip exactly.
    expect(JSON.parse(byId['vpc-1']![8]!)).toEqual({note: tricky, env: 'prod'})
    // A missing creation time is an empty field, and no tags is {}.
    expect(byId['vpc-2']![6]).toBe('')
    expect(byId['vpc-2']![8]).toBe('{}')
  })

  it('streams a large snapshot completely', async () => {
    const store = stores.open()
    const id = seedSnapshot(store, 'big')
    const writer = new SnapshotWriter(store, id)
    const resources = Array.from({length: 3000}, (_, i) => fakeResource(`vpc-${String(i).padStart(5, '0')}`, {tags: {description: 'x'.repeat(100)}}))
    for (let i = 0; i < resources.length; i += 500) writer.write(resources.slice(i, i + 500), 'ec2')
    const dir = outDir()
    expect((await exportResources(store, id, join(dir, 'big.csv'))).resources).toBe(3000)
    expect(parseCsv(readFileSync(join(dir, 'big.csv'), 'utf8'))).toHaveLength(3001)
    expect((await exportResources(store, id, join(dir, 'big.json'))).resources).toBe(3000)
    expect(JSON.parse(readFileSync(join(dir, 'big.json'), 'utf8'))).toHaveLength(3000)
    expect(readdirSync(dir).sort()).toEqual(['big.csv', 'big.json'])
  })

  it('keeps the permissions of a file it replaces, and leaves a write-protected one as it was', async () => {
    const store = stores.open()
    const id = seeded(store)
    const file = join(outDir(), 'out.json')
    writeFileSync(file, 'old')
    chmodSync(file, 0o640)
    await exportResources(store, id, file)
    expect(statSync(file).mode & 0o777).toBe(0o640)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toHaveLength(2)

    chmodSync(file, 0o444)
    writeFileSync(file, 'old')
    await expect(exportResources(store, id, file)).rejects.toThrow(new UserError(`Cannot write ${file}: it is write-protected (chmod u+w to replace it).`))
    expect(readFileSync(file, 'utf8')).toBe('old')
    expect(readdirSync(join(file, '..'))).toEqual(['out.json'])
  })

  it('rejects a directory that does not exist, creating nothing', async () => {
    const store = stores.open()
    const id = seeded(store)
    const dir = outDir()
    const missing = join(dir, 'missing')
    await expect(exportResources(store, id, join(missing, 'out.csv'))).rejects.toThrow(UserError)
    await expect(exportResources(store, id, join(missing, 'out.csv'))).rejects.toThrow(`Cannot write ${join(missing, 'out.csv')}: its directory does not exist.`)
    expect(readdirSync(dir)).toEqual([])
  })

  it('leaves no temporary file behind when the file cannot be written', async () => {
    const store = stores.open()
    const id = seeded(store)
    const dir = outDir()
    // The target is a directory: the final rename fails.
    mkdirSync(join(dir, 'taken.json'))
    await expect(exportResources(store, id, join(dir, 'taken.json'))).rejects.toThrow(UserError)
    expect(readdirSync(dir)).toEqual(['taken.json'])
    expect(readdirSync(join(dir, 'taken.json'))).toEqual([])
    // The store is still usable afterwards.
    expect([...iterateResources(store, id)]).toHaveLength(2)
  })

  it('replaces an existing file whole', async () => {
    const store = stores.open()
    const id = seeded(store)
    const file = join(outDir(), 'out.json')
    await exportResources(store, id, file)
    const other = seedSnapshot(store, 'other')
    new SnapshotWriter(store, other).write([fakeResource('vpc-9')], 'ec2')
    await exportResources(store, other, file)
    expect((JSON.parse(readFileSync(file, 'utf8')) as Array<{id: string}>).map((r) => r.id)).toEqual(['vpc-9'])
  })
})
