import {describe, expect, it} from 'vitest'

import type {DriftReport} from '../../../src/diff/snapshots.js'
import {driftCsv, formatDrift} from '../../../src/render/drift.js'

const report: DriftReport = {
  before: {id: 1, name: 'baseline', status: 'complete', startedAt: '2026-11-01T00:00:00.000Z'},
  after: {id: 2, name: 'now', status: 'complete', startedAt: '2026-11-25T00:00:00.000Z'},
  filters: {resourceTypes: null, regions: null, categories: null, ignoreFile: null},
  drift: true,
  summary: {added: 1, removed: 1, replaced: 1, modified: 1, unchanged: 7, notComparable: 1, ignoredResources: 0, ignoredChanges: 0, outsideTagFilters: 0, byCategory: {tags: 1, security: 2, configuration: 2, state: 0}},
  resources: [
    {change: 'added', arn: 'arn:v', type: 'AWS::EC2::Volume', region: 'us-east-1', accountId: '1', id: 'vol-1', name: 'data', categories: ['configuration']},
    {change: 'removed', arn: 'arn:l', type: 'AWS::EC2::LaunchTemplate', region: 'us-east-1', accountId: '1', id: 'lt-1', name: 'lt-1', categories: ['configuration']},
    {change: 'replaced', arn: 'arn:r', type: 'AWS::IAM::Role', region: 'global', accountId: '1', id: 'app', name: 'app', reason: 'RoleId A → B', categories: ['security']},
    {
      change: 'modified',
      arn: 'arn:sg',
      type: 'AWS::EC2::SecurityGroup',
      region: 'us-east-1',
      accountId: '1',
      id: 'sg-1',
      name: 'web|public',
      categories: ['tags', 'security'],
      changes: [
        {path: 'IpPermissions[tcp:22]', segments: [{field: 'IpPermissions'}, {key: 'tcp:22'}], kind: 'added', category: 'security', after: {IpProtocol: 'tcp'}},
        {path: 'Tags[env]', segments: [{field: 'Tags'}, {key: 'env'}], kind: 'changed', category: 'tags', before: 'dev', after: 'prod'},
        {path: 'Description', segments: [{field: 'Description'}], kind: 'removed', category: 'configuration', before: 'x'.repeat(300)},
      ],
    },
  ],
  notComparable: [{accountId: '1', region: 'eu-west-1', resourceType: 'AWS::EC2::VPC', before: 'ok', after: 'access_denied', reason: 'access_denied in after'}],
}

describe('formatDrift', () => {
  it('prints a summary, a marked line per resource and, with showDiff, a line per field', () => {
    const text = formatDrift(report, {format: 'table', showDiff: true, color: false})
    expect(text.split('\n')).toEqual([
      'Drift from "baseline" (2026-11-01T00:00:00.000Z) to "now" (2026-11-25T00:00:00.000Z)',
      '  added 1 · removed 1 · replaced 1 · modified 1 · unchanged 7 · not comparable 1 cell',
      '  by category: tags 1 · security 2 · configuration 2 · state 0',
      '',
      '+ AWS::EC2::Volume  us-east-1  vol-1 (data)',
      '- AWS::EC2::LaunchTemplate  us-east-1  lt-1',
      '± AWS::IAM::Role  global  app  (RoleId A → B)',
      '~ AWS::EC2::SecurityGroup  us-east-1  sg-1 (web|public)  3 changes: tags, security',
      '    + IpPermissions[tcp:22]: {"IpProtocol":"tcp"}',
      '    ~ Tags[env]: "dev" → "prod"',
      `    - Description: "${'x'.repeat(198)}…`,
      '',
      'Not comparable (1 cell, never reported as added or removed):',
      '  AWS::EC2::VPC  eu-west-1  1  access_denied in after',
    ])
  })

  it('leaves field lines out without showDiff, and colours markers on a terminal', () => {
    expect(formatDrift(report, {format: 'table', showDiff: false, color: false})).not.toContain('Tags[env]')
    const coloured = formatDrift(report, {format: 'table', showDiff: false, color: true})
    expect(coloured).toContain('\u001B[32m+ AWS::EC2::Volume')
    expect(coloured).toContain('\u001B[31m- AWS::EC2::LaunchTemplate')
  })

  it('keeps names, ids and tag keys from writing to the terminal or breaking a line, in every format for people', () => {
    const evil: DriftReport = {
      ...report,
      notComparable: [],
      resources: [
        {
          ...report.resources[3]!,
          id: 'sg-1\u001B]0;t\u0007',
          name: 'evil\u001B[31mRED\n+ AWS::IAM::User  global  forged',
          changes: [{path: 'Tags[k\u001B[2J\n]', segments: [{field: 'Tags'}, {key: 'k\u001B[2J\n'}], kind: 'added', category: 'tags', after: 'v'}],
        },
      ],
    }
    for (const format of ['table', 'md'] as const) {
      const text = formatDrift(evil, {format, showDiff: true, color: false})
      expect([...text].filter((c) => c !== '\n' && /\p{Cc}/u.test(c))).toEqual([])
      expect(text.split('\n').filter((l) => l.includes('forged'))).toHaveLength(1)
      expect(text).not.toMatch(/^\+ AWS::IAM::User/m)
    }

    const table = formatDrift(evil, {format: 'table', showDiff: true, color: false})
    expect(table).toContain('~ AWS::EC2::SecurityGroup  us-east-1  sg-1\uFFFD]0;t\uFFFD (evil\uFFFD[31mRED + AWS::IAM::User  global  forged)')
    expect(table).toContain('    + Tags[k\uFFFD[2J ]: "v"')
  })

  it('says so when nothing drifted', () => {
    const none = {...report, drift: false, resources: [], notComparable: []}
    expect(formatDrift(none, {format: 'table', showDiff: false, color: false})).toMatch(/\n\nNo drift\.$/)
    expect(formatDrift(none, {format: 'md', showDiff: false, color: false})).toContain('\nNo drift.')
  })

  it('renders Markdown for pull requests: a counts table, a resource table with pipes escaped, diff blocks', () => {
    const md = formatDrift(report, {format: 'md', showDiff: true, color: false})
    expect(md).toContain('### Drift from `baseline` to `now`')
    expect(md).toContain('| 1 | 1 | 1 | 1 | 7 | 1 |')
    expect(md).toContain('| ~ | AWS::EC2::SecurityGroup | us-east-1 | sg-1 (web\\|public) | `IpPermissions[tcp:22]` added, `Tags[env]` changed, `Description` removed |')
    expect(md).toContain('```diff\n+ IpPermissions[tcp:22]: {"IpProtocol":"tcp"}\n! Tags[env]: "dev" → "prod"\n')
    expect(md).toContain('Not comparable: AWS::EC2::VPC in eu-west-1 (access_denied in after)')
  })
})

describe('formatDrift of a state not saved', () => {
  it('names the current state, not a snapshot that no longer exists', () => {
    const unsaved = {...report, after: {...report.after, id: null, name: null}}
    expect(formatDrift(unsaved, {format: 'table', showDiff: false, color: false}).split('\n')[0]).toBe(
      `Drift from "baseline" (${report.before.startedAt}) to the current state (not saved) (${report.after.startedAt})`,
    )
    expect(formatDrift(unsaved, {format: 'md', showDiff: false, color: false})).toContain('### Drift from `baseline` to the current state (not saved)\n')
  })
})

describe('driftCsv', () => {
  it('writes a row per resource change and per field change, RFC 4180 quoted', () => {
    const rows = driftCsv(report).split('\r\n')
    expect(rows[0]).toBe('change,type,region,account_id,arn,id,name,category,path,field_change,before,after,reason')
    expect(rows[3]).toBe('replaced,AWS::IAM::Role,global,1,arn:r,app,app,security,,,,,RoleId A → B')
    expect(rows[5]).toBe('modified,AWS::EC2::SecurityGroup,us-east-1,1,arn:sg,sg-1,web|public,tags,Tags[env],changed,"""dev""","""prod""",')
    expect(rows).toHaveLength(7)
  })
})
