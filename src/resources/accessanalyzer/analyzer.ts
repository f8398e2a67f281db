import type {AnalyzerSummary} from '@aws-sdk/client-accessanalyzer'

import {unlessDeleted} from '../../aws/errors.js'
import {paginateItems} from '../../aws/paginate.js'
import {collectContextOf, currentStateOf, requestIdsOf, stringParam, unknownStep} from '../../cleanup/deleting.js'
import {apiResource, isoDate} from '../normalize.js'
import type {ResourceSpec} from '../types.js'

export const analyzer: ResourceSpec<AnalyzerSummary> = {
  type: 'AWS::AccessAnalyzer::Analyzer',
  service: 'accessanalyzer',
  scope: 'regional',
  docs: 'https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_ListAnalyzers.html',

  async *list(ctx) {
    const accessanalyzer = await ctx.clients.get('accessanalyzer', ctx.region)
    // Every type: external access (ACCOUNT, ORGANIZATION), unused and internal access analyzers.
    yield* paginateItems((r) => accessanalyzer.listAnalyzers(r, {abortSignal: ctx.signal}), {}, 'nextToken', 'nextToken', 'analyzers')
  },

  // No fromConfigItem: AWS Config's item for this type (CloudFormation-shaped: AnalyzerName, Type, ArchiveRules)
  // carries no status, so both sources could not give the same configuration. The direct API is one call a region.

  toResource(item, ctx) {
    const name = item.name ?? ''
    // The tags are the resource's tag map; a copy in the configuration would report every tag change twice.
    const {tags, ...configuration} = item
    return apiResource(ctx, {
      arn: item.arn ?? `arn:${ctx.partition}:access-analyzer:${ctx.region}:${ctx.accountId}:analyzer/${name}`,
      type: analyzer.type,
      // Every analyzer call takes the name.
      id: name,
      name,
      createdAt: isoDate(item.createdAt),
      tags: {...tags},
      configuration,
    })
  },

  // What the analyzer last looked at moves on its own.
  volatile: ['lastResourceAnalyzed', 'lastResourceAnalyzedAt'],
  stateFields: ['status', 'statusReason'],

  deleter: {
    steps: (resource) => [
      {action: 'delete-analyzer', description: `Delete IAM Access Analyzer analyzer ${resource.name} with its archive rules and findings`, params: {analyzerName: resource.id}},
    ],

    async current(ctx, item) {
      const accessanalyzer = await ctx.clients.get('accessanalyzer', ctx.region)
      const found = (await unlessDeleted(() => accessanalyzer.getAnalyzer({analyzerName: item.id})))?.analyzer
      return found === undefined ? undefined : currentStateOf(await analyzer.toResource(found, collectContextOf(ctx)))
    },

    async run(ctx, item, step) {
      if (step.action !== 'delete-analyzer') throw unknownStep(item, step)
      const accessanalyzer = await ctx.clients.get('accessanalyzer', ctx.region)
      const analyzerName = stringParam(step, 'analyzerName')
      const deleted = await unlessDeleted(() => accessanalyzer.deleteAnalyzer({analyzerName}))
      return deleted === undefined ? {status: 'gone', detail: `analyzer ${analyzerName} no longer exists`} : {status: 'done', requestIds: requestIdsOf(deleted)}
    },
  },
}
