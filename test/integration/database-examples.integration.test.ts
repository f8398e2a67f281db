import Database from 'better-sqlite3'
import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {runCliJson} from '../support/cli.js'
import {type Emulator, repoRoot, startEmulator} from '../support/emulator.js'
import {emulatorClients, seedSandbox} from '../support/seed.js'
import {exampleQueries} from './database-examples.js'

// DATABASE.md's ready-made queries must keep working: each runs against a real store holding two
// snapshots (a baseline and one after changes), and the document must show each query verbatim.
describe('DATABASE.md example queries', () => {
  let emulator: Emulator
  let db: Database.Database
  const doc = readFileSync(join(repoRoot, 'DATABASE.md'), 'utf8')

  beforeAll(async () => {
    emulator = await startEmulator()
    const ids = await seedSandbox(emulator.url, 'us-east-1', {global: true})
    const storage = mkdtempSync(join(tmpdir(), 'awsinv-dbdoc-'))
    const snapshot = (name: string) =>
      runCliJson(['snapshot', 'create', name, '--storage-path', storage, '--endpoint-url', emulator.url, '--regions', 'us-east-1'])
    await snapshot('baseline')
    const {ec2} = emulatorClients(emulator.url, 'us-east-1')
    await ec2.authorizeSecurityGroupIngress({GroupId: ids['AWS::EC2::SecurityGroup']![0], IpPermissions: [{IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{CidrIp: '0.0.0.0/0'}]}]})
    await ec2.createVolume({AvailabilityZone: 'us-east-1a', Size: 1})
    await ec2.allocateAddress({Domain: 'vpc'})
    await ec2.deleteLaunchTemplate({LaunchTemplateId: ids['AWS::EC2::LaunchTemplate']![0]})
    ec2.destroy()
    await snapshot('after-deploy')
    db = new Database(join(storage, 'inventory.db'), {readonly: true})
  })

  afterAll(async () => {
    db?.close()
    await emulator?.stop()
  })

  it('documents at least ten queries', () => {
    expect(exampleQueries.length).toBeGreaterThanOrEqual(10)
  })

  it.each(exampleQueries.map((q) => [q.title, q.sql]))('%s: is shown verbatim and runs', (_title, sql) => {
    expect(doc).toContain(sql)
    expect(() => db.prepare(sql).all()).not.toThrow()
  })

  it('finds what the scenario changed', () => {
    const run = (title: string) => db.prepare(exampleQueries.find((q) => q.title.startsWith(title))!.sql).all() as Array<Record<string, unknown>>
    expect(run('Security groups with inbound rules open to 0.0.0.0/0')).toEqual([expect.objectContaining({protocol: 'tcp', from_port: 22, to_port: 22})])
    expect(run('Unattached EBS volumes')).toEqual([expect.objectContaining({size_gib: 1})])
    expect(run('Elastic IPs not associated')).toHaveLength(1)
    expect(run('Resources that disappeared between two snapshots')).toEqual([expect.objectContaining({type: 'AWS::EC2::LaunchTemplate'})])
  })
})
