import {AccessAnalyzerClient, type AnalyzerSummary, DeleteAnalyzerCommand, GetAnalyzerCommand, ListAnalyzersCommand} from '@aws-sdk/client-accessanalyzer'
import {mockClient} from 'aws-sdk-client-mock'
import {afterAll, afterEach, describe, expect, it} from 'vitest'

import {prepareForDiff} from '../../../../src/diff/normalize.js'
import {analyzer} from '../../../../src/resources/accessanalyzer/analyzer.js'
import {testContext} from '../../../support/context.js'
import {emulatorContexts, planItemOf, runPlanItem} from '../../../support/deleters.js'

// The emulator has no Access Analyzer at all: these are ListAnalyzers items as AWS documents them.
const account: AnalyzerSummary = {
  arn: 'arn:aws:access-analyzer:eu-west-1:123456789012:analyzer/account-analyzer',
  name: 'account-analyzer',
  type: 'ACCOUNT',
  createdAt: new Date('2025-03-01T10:00:00Z'),
  lastResourceAnalyzed: 'arn:aws:s3:::reports-bucket',
  lastResourceAnalyzedAt: new Date('2026-05-31T09:00:00Z'),
  tags: {team: 'security'},
  status: 'ACTIVE',
}
const unused: AnalyzerSummary = {
  arn: 'arn:aws:access-analyzer:eu-west-1:123456789012:analyzer/unused-access',
  name: 'unused-access',
  type: 'ACCOUNT_UNUSED_ACCESS',
  createdAt: new Date('2025-04-01T10:00:00Z'),
  status: 'CREATING',
  configuration: {unusedAccess: {unusedAccessAge: 90}},
}

describe('AWS::AccessAnalyzer::Analyzer', () => {
  const accessanalyzer = mockClient(AccessAnalyzerClient)
  const ctx = testContext({region: 'eu-west-1'})
  afterEach(() => accessanalyzer.reset())
  afterAll(() => accessanalyzer.restore())

  it('is a real resource: its ARN, its name as id, its creation time and tags, the summary as configuration', async () => {
    expect(await analyzer.toResource(account, ctx)).toEqual({
      arn: 'arn:aws:access-analyzer:eu-west-1:123456789012:analyzer/account-analyzer',
      type: 'AWS::AccessAnalyzer::Analyzer',
      id: 'account-analyzer',
      name: 'account-analyzer',
      region: 'eu-west-1',
      accountId: '123456789012',
      createdAt: '2025-03-01T10:00:00.000Z',
      tags: {team: 'security'},
      configuration: {
        arn: 'arn:aws:access-analyzer:eu-west-1:123456789012:analyzer/account-analyzer',
        name: 'account-analyzer',
        type: 'ACCOUNT',
        createdAt: '2025-03-01T10:00:00.000Z',
        lastResourceAnalyzed: 'arn:aws:s3:::reports-bucket',
        lastResourceAnalyzedAt: '2026-05-31T09:00:00.000Z',
        status: 'ACTIVE',
      },
      source: 'api',
      relationships: [],
    })
    // Tagged like any resource, and not an account setting.
    expect(analyzer.untagged).toBeUndefined()
    expect(analyzer.singleton).toBeUndefined()
  })

  it('compares without what the analyzer last looked at', async () => {
    const {configuration} = await analyzer.toResource(account, ctx)
    expect(prepareForDiff(configuration, analyzer)).not.toHaveProperty('lastResourceAnalyzedAt')
    expect(prepareForDiff(configuration, analyzer)).not.toHaveProperty('lastResourceAnalyzed')
  })

  it('lists every page of analyzers of every type', async () => {
    accessanalyzer.on(ListAnalyzersCommand).resolves({analyzers: [account], nextToken: 'page-2'})
    accessanalyzer.on(ListAnalyzersCommand, {nextToken: 'page-2'}).resolves({analyzers: [unused]})
    const items: AnalyzerSummary[] = []
    for await (const page of analyzer.list(ctx)) items.push(...page)
    expect(items.map((a) => a.name)).toEqual(['account-analyzer', 'unused-access'])
    expect(accessanalyzer.commandCalls(ListAnalyzersCommand).map((c) => c.args[0].input)).toEqual([{}, {nextToken: 'page-2'}])
  })

  it('yields nothing for a region without analyzers, and lets a denial through', async () => {
    accessanalyzer.on(ListAnalyzersCommand).resolves({analyzers: []})
    const pages: AnalyzerSummary[][] = []
    for await (const page of analyzer.list(ctx)) pages.push(page)
    expect(pages.flat()).toEqual([])
    accessanalyzer.on(ListAnalyzersCommand).rejects(Object.assign(new Error('not authorized to perform: access-analyzer:ListAnalyzers'), {name: 'AccessDeniedException', $metadata: {httpStatusCode: 403}}))
    await expect(analyzer.list(ctx)[Symbol.asyncIterator]().next()).rejects.toMatchObject({name: 'AccessDeniedException'})
  })

  // The emulator has no Access Analyzer: the deleter is tested against AWS's documented answers only.
  describe('deleter', () => {
    const deleter = analyzer.deleter!
    const deleteCtx = emulatorContexts('http://127.0.0.1:9', 'eu-west-1').delete
    const notFound = () => Object.assign(new Error('Analyzer not found'), {name: 'ResourceNotFoundException', $metadata: {httpStatusCode: 404}})

    it('deletes the analyzer by name', async () => {
      const item = planItemOf(await analyzer.toResource(account, ctx))
      expect(item.steps).toEqual([
        {action: 'delete-analyzer', description: 'Delete IAM Access Analyzer analyzer account-analyzer with its archive rules and findings', params: {analyzerName: 'account-analyzer'}},
      ])
      accessanalyzer.on(DeleteAnalyzerCommand).resolves({$metadata: {requestId: 'req-1'}})
      expect(await runPlanItem(item, deleteCtx)).toMatchObject({status: 'deleted', steps: [{action: 'delete-analyzer', status: 'done', attempts: 1, requestIds: ['req-1']}]})
      expect(accessanalyzer.commandCalls(DeleteAnalyzerCommand).map((c) => c.args[0].input)).toEqual([{analyzerName: 'account-analyzer'}])
    })

    it('reports an analyzer that is already gone as gone, and reads a live one’s tags', async () => {
      const item = planItemOf(await analyzer.toResource(account, ctx))
      accessanalyzer.on(DeleteAnalyzerCommand).rejects(notFound())
      expect(await runPlanItem(item, deleteCtx)).toMatchObject({status: 'gone', steps: [{status: 'gone', detail: 'analyzer account-analyzer no longer exists'}]})

      accessanalyzer.on(GetAnalyzerCommand, {analyzerName: 'account-analyzer'}).resolves({analyzer: account})
      expect(await deleter.current(deleteCtx, item)).toMatchObject({tags: {team: 'security'}, name: 'account-analyzer', configuration: {status: 'ACTIVE'}})
      accessanalyzer.on(GetAnalyzerCommand).rejects(notFound())
      expect(await deleter.current(deleteCtx, item)).toBeUndefined()
    })
  })
})
