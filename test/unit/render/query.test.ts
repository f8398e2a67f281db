import {describe, expect, it} from 'vitest'

import type {ResourceSearchResult} from '../../../src/query/resources.js'
import type {SqlQueryResult} from '../../../src/query/sql.js'
import {formatResourceSearch, formatSqlResult} from '../../../src/render/query.js'
import type {Snapshot} from '../../../src/store/snapshots.js'
import {parseCsv} from '../../support/csv.js'

const sql: SqlQueryResult = {
  columns: ['n', 'n', 'note'],
  rows: [
    [1, 2, 'a, "b"'],
    [3, null, 'line\nbreak'],
  ],
  rowCount: 2,
  truncated: false,
}

describe('formatSqlResult', () => {
  it('gives json as the result document itself', () => {
    expect(JSON.parse(formatSqlResult(sql, 'json'))).toEqual(sql)
  })

  it('gives csv with every column, duplicates included, NULL as an empty field', () => {
    expect(parseCsv(`${formatSqlResult(sql, 'csv')}\r\n`)).toEqual([
      ['n', 'n', 'note'],
      ['1', '2', 'a, "b"'],
      ['3', '', 'line\nbreak'],
    ])
  })

  it('gives md and table forms of the rows', () => {
    expect(formatSqlResult(sql, 'md').split('\n')).toEqual(['| n | n | note |', '| --- | --- | --- |', '| 1 | 2 | a, "b" |', '| 3 |  | line break |'])
    expect(formatSqlResult(sql, 'table')).toMatch(/│ 3 +│ +│ line break │/)
  })
})

const snapshot = {name: 'baseline', active: true} as Snapshot
const search: ResourceSearchResult = {
  snapshot,
  incomplete: false,
  resources: [
    {
      arn: 'arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1',
      type: 'AWS::EC2::VPC',
      id: 'vpc-1',
      name: 'net',
      region: 'us-east-1',
      accountId: '123456789012',
      createdAt: null,
      source: 'api',
      tags: {env: 'prod', owner: 'team-a'},
    },
  ],
  count: 1,
  truncated: false,
}

describe('formatResourceSearch', () => {
  it('gives csv with every field and tags as JSON', () => {
    const [header, row] = parseCsv(`${formatResourceSearch(search, 'csv')}\r\n`)
    expect(header).toEqual(['arn', 'type', 'id', 'name', 'region', 'accountId', 'createdAt', 'source', 'tags'])
    expect(row).toEqual(['arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1', 'AWS::EC2::VPC', 'vpc-1', 'net', 'us-east-1', '123456789012', '', 'api', '{"env":"prod","owner":"team-a"}'])
  })

  it('gives people a table with tags as KEY=VALUE and a count of what was searched', () => {
    const md = formatResourceSearch(search, 'md').split('\n')
    expect(md[0]).toBe('| Type | Region | Id | Name | Tags | ARN |')
    expect(md[2]).toBe('| AWS::EC2::VPC | us-east-1 | vpc-1 | net | env=prod owner=team-a | arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1 |')
    expect(md.at(-1)).toBe('1 resource in snapshot "baseline" (active)')
  })

  it('says when nothing matched', () => {
    expect(formatResourceSearch({...search, resources: [], count: 0}, 'table')).toBe('No resources in snapshot "baseline" (active) match.')
  })

  it('gives json as the result document itself', () => {
    expect(JSON.parse(formatResourceSearch(search, 'json'))).toEqual(search)
  })
})
