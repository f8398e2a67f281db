import {
  BatchGetAggregateResourceConfigCommand,
  type BatchGetAggregateResourceConfigCommandInput,
  ConfigServiceClient,
  DescribeConfigurationAggregatorsCommand,
  ListAggregateDiscoveredResourcesCommand,
} from '@aws-sdk/client-config-service'
import {mockClient} from 'aws-sdk-client-mock'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {AwsClients} from '../../../../src/aws/clients.js'
import {
  type AggregatedResource,
  type AggregatorInfo,
  aggregatedResourcePages,
  aggregatorCovers,
  aggregatorInfo,
  describeAggregator,
  expectedAggregateCells,
  fillTagsFromItem,
  tagsFromItem,
} from '../../../../src/collect/config/aggregator.js'
import {UserError} from '../../../../src/errors.js'
import {aggregateIdentifier, configItem, fakeConfigSpec} from '../../../support/config-fakes.js'
import {testContext} from '../../../support/context.js'
import {fakeResource} from '../../../support/store.js'

const fast = {attempts: 3, baseDelayMs: 1, maxDelayMs: 2}
const OWN = '123456789012'
const DEV = '111111111111'
const PROD = '222222222222'
const awsError = (name: string, message = name) => Object.assign(new Error(message), {name, $metadata: {httpStatusCode: 400}})

const accountsAggregator: AggregatorInfo = {
  name: 'org',
  region: 'us-east-1',
  arn: 'arn:aws:config:us-east-1:123456789012:config-aggregator/config-aggregator-abc',
  sources: [
    {accounts: [OWN, DEV], regions: ['us-east-1', 'eu-west-1']},
    {accounts: [PROD], regions: null},
  ],
}

describe('aggregator sources', () => {
  it('reads account and organization sources from DescribeConfigurationAggregators', () => {
    expect(
      aggregatorInfo(
        {
          ConfigurationAggregatorName: 'org',
          ConfigurationAggregatorArn: 'arn:x',
          AccountAggregationSources: [
            {AccountIds: [OWN, DEV], AwsRegions: ['us-east-1', 'eu-west-1'], AllAwsRegions: false},
            {AccountIds: [PROD], AllAwsRegions: true},
          ],
          OrganizationAggregationSource: {RoleArn: 'arn:aws:iam::123456789012:role/agg', AllAwsRegions: true},
        },
        'us-east-1',
      ),
    ).toEqual({
      name: 'org',
      region: 'us-east-1',
      arn: 'arn:x',
      sources: [
        {accounts: [OWN, DEV], regions: ['us-east-1', 'eu-west-1']},
        {accounts: [PROD], regions: null},
        {accounts: null, regions: null},
      ],
    })
  })

  it('says which accounts and regions it covers', () => {
    expect(aggregatorCovers(accountsAggregator, DEV, 'eu-west-1')).toBe(true)
    expect(aggregatorCovers(accountsAggregator, DEV, 'ap-south-1')).toBe(false)
    expect(aggregatorCovers(accountsAggregator, DEV, 'global')).toBe(true)
    expect(aggregatorCovers(accountsAggregator, PROD, 'ap-south-1')).toBe(true)
    expect(aggregatorCovers(accountsAggregator, '333333333333', 'us-east-1')).toBe(false)
    expect(aggregatorCovers({...accountsAggregator, sources: [{accounts: null, regions: ['us-east-1']}]}, '333333333333', 'us-east-1')).toBe(true)
  })

  it('expects a cell per other known account and selected region it covers (global once per account)', () => {
    expect(expectedAggregateCells(accountsAggregator, OWN, ['us-east-1', 'ap-south-1'], 'regional')).toEqual([
      {accountId: DEV, region: 'us-east-1'},
      {accountId: PROD, region: 'ap-south-1'},
      {accountId: PROD, region: 'us-east-1'},
    ])
    expect(expectedAggregateCells(accountsAggregator, OWN, ['us-east-1'], 'global')).toEqual([
      {accountId: DEV, region: 'global'},
      {accountId: PROD, region: 'global'},
    ])
  })
})

describe('describeAggregator', () => {
  const config = mockClient(ConfigServiceClient)
  let clients: AwsClients
  beforeEach(() => {
    config.reset()
    clients = new AwsClients({endpointUrl: 'http://127.0.0.1:9', maxAttempts: 1}, 'us-east-1')
  })
  afterEach(() => clients.destroy())

  it('returns the aggregator with its sources', async () => {
    config.on(DescribeConfigurationAggregatorsCommand, {ConfigurationAggregatorNames: ['org']}).resolves({
      ConfigurationAggregators: [{ConfigurationAggregatorName: 'org', AccountAggregationSources: [{AccountIds: [DEV], AllAwsRegions: true}]}],
    })
    expect(await describeAggregator(clients, 'us-east-1', 'org')).toEqual({name: 'org', region: 'us-east-1', arn: null, sources: [{accounts: [DEV], regions: null}]})
  })

  it('names an unknown aggregator in one line, with the ones that exist', async () => {
    config.on(DescribeConfigurationAggregatorsCommand, {ConfigurationAggregatorNames: ['typo']}).rejects(awsError('NoSuchConfigurationAggregatorException'))
    config.on(DescribeConfigurationAggregatorsCommand, {}).resolves({ConfigurationAggregators: [{ConfigurationAggregatorName: 'org'}, {ConfigurationAggregatorName: 'audit'}]})
    const error = await describeAggregator(clients, 'us-east-1', 'typo').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UserError)
    expect((error as Error).message).toBe(
      'Unknown AWS Config aggregator "typo" in us-east-1. Aggregators there: audit, org. Check the name, or set the aggregator\'s region with AWSINV_REGION.',
    )
  })

  it('says what to grant when the aggregator may not be read', async () => {
    config.on(DescribeConfigurationAggregatorsCommand).rejects(awsError('AccessDeniedException', 'User: x is not authorized to perform: config:DescribeConfigurationAggregators'))
    await expect(describeAggregator(clients, 'us-east-1', 'org')).rejects.toThrow(
      /^Not allowed to use AWS Config aggregator "org" in us-east-1 \(AccessDeniedException\)\. Grant config:DescribeConfigurationAggregators, config:ListAggregateDiscoveredResources, config:BatchGetAggregateResourceConfig/,
    )
  })

  it('says when Config is not available in the region', async () => {
    config.on(DescribeConfigurationAggregatorsCommand).rejects(Object.assign(new Error('getaddrinfo ENOTFOUND'), {code: 'ENOTFOUND'}))
    await expect(describeAggregator(clients, 'xx-east-1', 'org')).rejects.toThrow(/^AWS Config is not available in xx-east-1 \(ENOTFOUND\)/)
  })
})

describe('aggregatedResourcePages: several accounts in one listing', () => {
  const config = mockClient(ConfigServiceClient)
  const ctx = testContext()
  beforeEach(() => config.reset())
  afterEach(() => ctx.clients.destroy())

  async function drain(pages: AsyncIterable<AggregatedResource[]>): Promise<AggregatedResource[]> {
    const out: AggregatedResource[] = []
    for await (const page of pages) out.push(...page)
    return out
  }

  const pagesOf = (spec = fakeConfigSpec(), keep = (_: {accountId: string; region: string}) => true) =>
    aggregatedResourcePages({
      aggregator: accountsAggregator,
      spec,
      context: (accountId, region) => ({...ctx, accountId, region}),
      keep,
      retry: fast,
      signal: ctx.signal,
      clients: ctx.clients,
    })

  it('reads each identifier with its account and region, and maps every resource to its account', async () => {
    config
      .on(ListAggregateDiscoveredResourcesCommand)
      .resolvesOnce({
        ResourceIdentifiers: [aggregateIdentifier('dev-east', DEV, 'us-east-1'), aggregateIdentifier('dev-west', DEV, 'eu-west-1')],
        NextToken: 'next',
      })
      .resolvesOnce({ResourceIdentifiers: [aggregateIdentifier('prod-east', PROD, 'us-east-1'), aggregateIdentifier('prod-south', PROD, 'ap-south-1')]})
    config.on(BatchGetAggregateResourceConfigCommand).callsFake((input: BatchGetAggregateResourceConfigCommandInput) => ({
      BaseConfigurationItems: (input.ResourceIdentifiers ?? []).map((i) => configItem(i.ResourceId!, {accountId: i.SourceAccountId, awsRegion: i.SourceRegion})),
      UnprocessedResourceIdentifiers: [],
    }))
    const spec = fakeConfigSpec()
    const resources = await drain(pagesOf(spec, ({region}) => region !== 'ap-south-1'))

    expect(config.commandCalls(ListAggregateDiscoveredResourcesCommand).map((c) => c.args[0].input)).toEqual([
      {ConfigurationAggregatorName: 'org', ResourceType: 'AWS::Test::Thing', Limit: 100},
      {ConfigurationAggregatorName: 'org', ResourceType: 'AWS::Test::Thing', Limit: 100, NextToken: 'next'},
    ])
    const asked = config.commandCalls(BatchGetAggregateResourceConfigCommand).flatMap((c) => c.args[0].input.ResourceIdentifiers!)
    expect(config.commandCalls(BatchGetAggregateResourceConfigCommand).map((c) => c.args[0].input.ConfigurationAggregatorName)).toEqual(['org'])
    expect(asked).toEqual([
      {SourceAccountId: DEV, SourceRegion: 'us-east-1', ResourceId: 'dev-east', ResourceType: 'AWS::Test::Thing', ResourceName: 'dev-east'},
      {SourceAccountId: DEV, SourceRegion: 'eu-west-1', ResourceId: 'dev-west', ResourceType: 'AWS::Test::Thing', ResourceName: 'dev-west'},
      {SourceAccountId: PROD, SourceRegion: 'us-east-1', ResourceId: 'prod-east', ResourceType: 'AWS::Test::Thing', ResourceName: 'prod-east'},
    ])
    expect(resources.map((r) => [r.resource.accountId, r.resource.region, r.resource.id, r.resource.arn, r.resource.source])).toEqual([
      [DEV, 'us-east-1', 'dev-east', `arn:aws:test:us-east-1:${DEV}:thing/dev-east`, 'config'],
      [DEV, 'eu-west-1', 'dev-west', `arn:aws:test:eu-west-1:${DEV}:thing/dev-west`, 'config'],
      [PROD, 'us-east-1', 'prod-east', `arn:aws:test:us-east-1:${PROD}:thing/prod-east`, 'config'],
    ])
    // fromConfigItem saw each item's own account and region.
    expect(spec.configContexts).toEqual([
      {accountId: DEV, region: 'us-east-1'},
      {accountId: DEV, region: 'eu-west-1'},
      {accountId: PROD, region: 'us-east-1'},
    ])
  })

  it('reads 100 identifiers at a time and retries the unprocessed ones', async () => {
    const listed = Array.from({length: 150}, (_, i) => aggregateIdentifier(`r-${i}`, i % 2 ? DEV : PROD, 'us-east-1'))
    config.on(ListAggregateDiscoveredResourcesCommand).resolves({ResourceIdentifiers: listed})
    const item = (i: {ResourceId?: string; SourceAccountId?: string; SourceRegion?: string}) =>
      configItem(i.ResourceId!, {accountId: i.SourceAccountId, awsRegion: i.SourceRegion})
    config
      .on(BatchGetAggregateResourceConfigCommand)
      .callsFakeOnce((input: BatchGetAggregateResourceConfigCommandInput) => ({
        BaseConfigurationItems: input.ResourceIdentifiers!.slice(0, 90).map((i) => item(i)),
        UnprocessedResourceIdentifiers: input.ResourceIdentifiers!.slice(90),
      }))
      .callsFake((input: BatchGetAggregateResourceConfigCommandInput) => ({
        BaseConfigurationItems: input.ResourceIdentifiers!.map((i) => item(i)),
        UnprocessedResourceIdentifiers: [],
      }))
    const resources = await drain(pagesOf())
    const sizes = config.commandCalls(BatchGetAggregateResourceConfigCommand).map((c) => c.args[0].input.ResourceIdentifiers!.length)
    expect(sizes).toEqual([100, 10, 50])
    const retried = config.commandCalls(BatchGetAggregateResourceConfigCommand)[1]!.args[0].input.ResourceIdentifiers!
    expect(retried.map((i) => i.ResourceId)).toEqual(listed.slice(90, 100).map((i) => i.ResourceId))
    expect(retried.every((i) => i.SourceAccountId && i.SourceRegion === 'us-east-1')).toBe(true)
    expect(new Set(resources.map((r) => r.resource.id)).size).toBe(150)
  })

  it('reads a global resource listed once per aggregated region only once', async () => {
    const spec = fakeConfigSpec({type: 'AWS::Test::Global', scope: 'global'})
    config.on(ListAggregateDiscoveredResourcesCommand).resolves({
      ResourceIdentifiers: [
        aggregateIdentifier('AROAROLE', DEV, 'us-east-1', 'AWS::Test::Global'),
        aggregateIdentifier('AROAROLE', DEV, 'eu-west-1', 'AWS::Test::Global'),
        aggregateIdentifier('AROAROLE', PROD, 'us-east-1', 'AWS::Test::Global'),
      ],
    })
    config.on(BatchGetAggregateResourceConfigCommand).callsFake((input: BatchGetAggregateResourceConfigCommandInput) => ({
      BaseConfigurationItems: input.ResourceIdentifiers!.map((i) => configItem(i.ResourceId!, {accountId: i.SourceAccountId, awsRegion: 'global'})),
      UnprocessedResourceIdentifiers: [],
    }))
    const resources = await drain(pagesOf(spec))
    expect(resources.map((r) => [r.resource.accountId, r.resource.region])).toEqual([
      [DEV, 'global'],
      [PROD, 'global'],
    ])
    // The client region is used as the context region of global items.
    expect(spec.configContexts.map((c) => c.region)).toEqual(['us-east-1', 'us-east-1'])
  })

  it('fills tags the aggregate item leaves out, and says when it cannot', async () => {
    config.on(ListAggregateDiscoveredResourcesCommand).resolves({
      ResourceIdentifiers: [aggregateIdentifier('tagged', DEV, 'us-east-1'), aggregateIdentifier('unknown', DEV, 'us-east-1')],
    })
    config.on(BatchGetAggregateResourceConfigCommand).resolves({
      BaseConfigurationItems: [
        configItem('tagged', {accountId: DEV, supplementaryConfiguration: {Tags: JSON.stringify([{key: 'env', value: 'prod'}])}}),
        configItem('unknown', {accountId: DEV}),
      ],
      UnprocessedResourceIdentifiers: [],
    })
    const resources = await drain(pagesOf())
    expect(resources.map((r) => [r.resource.id, r.resource.tags, r.tagsKnown])).toEqual([
      ['tagged', {env: 'prod'}, true],
      ['unknown', {}, false],
    ])
  })
})

describe('tags from a configuration item', () => {
  it.each([
    ['supplementary Tags as a {key, value} list', {supplementaryConfiguration: {Tags: '[{"key":"env","value":"dev"}]'}}, {env: 'dev'}],
    ['supplementary Tags as a map', {supplementaryConfiguration: {Tags: '{"env":"dev","team":"a"}'}}, {env: 'dev', team: 'a'}],
    ['S3 BucketTaggingConfiguration', {supplementaryConfiguration: {BucketTaggingConfiguration: '{"tagSets":[{"tags":{"env":"dev"}}]}'}}, {env: 'dev'}],
    ['an empty S3 tagging configuration (known: no tags)', {supplementaryConfiguration: {BucketTaggingConfiguration: '{"tagSets":[]}'}}, {}],
    ['IAM configuration tags', {configuration: '{"roleName":"r","tags":[{"key":"env","value":"dev"}]}'}, {env: 'dev'}],
    ['double-encoded JSON', {supplementaryConfiguration: {Tags: JSON.stringify(JSON.stringify([{Key: 'env', Value: 'dev'}]))}}, {env: 'dev'}],
    ['an item without tag data', {configuration: '{"roleName":"r"}'}, undefined],
  ])('reads %s', (_label, overrides, expected) => {
    expect(tagsFromItem(configItem('x', overrides))).toEqual(expected)
  })

  it('keeps the tags the spec found, and fills only empty ones', () => {
    const item = configItem('x', {supplementaryConfiguration: {Tags: '[{"key":"env","value":"dev"}]'}})
    expect(fillTagsFromItem(fakeResource('x', {tags: {own: 'yes'}}), item)).toMatchObject({resource: {tags: {own: 'yes'}}, tagsKnown: true})
    expect(fillTagsFromItem(fakeResource('x'), item)).toMatchObject({resource: {tags: {env: 'dev'}}, tagsKnown: true})
    expect(fillTagsFromItem(fakeResource('x'), configItem('x'))).toMatchObject({resource: {tags: {}}, tagsKnown: false})
  })
})
