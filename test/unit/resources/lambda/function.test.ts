import {type FunctionConfiguration, LambdaClient, ListFunctionsCommand, ListTagsCommand} from '@aws-sdk/client-lambda'
import {mockClient} from 'aws-sdk-client-mock'
import {describe, expect, it} from 'vitest'

import {diffResource} from '../../../../src/diff/fields.js'
import {lambdaFunction, type LambdaFunctionItem} from '../../../../src/resources/lambda/function.js'
import {testContext} from '../../../support/context.js'

const SECRET = 'hunter2-db-password-7c1f'

const listed: FunctionConfiguration & {FunctionArn: string} = {
  FunctionName: 'worker',
  FunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:worker',
  Runtime: 'python3.12',
  Role: 'arn:aws:iam::123456789012:role/app/app-role',
  Handler: 'index.handler',
  LastModified: '2024-05-05T05:05:05.000+0000',
  RevisionId: 'rev-1',
  State: 'Active',
  VpcConfig: {SubnetIds: ['subnet-2', 'subnet-1'], SecurityGroupIds: ['sg-1'], VpcId: 'vpc-1'},
  Environment: {Variables: {DB_PASSWORD: SECRET, API_URL: 'https://example.com'}},
}

describe('AWS::Lambda::Function', () => {
  const ctx = testContext({region: 'eu-west-1'})

  it('builds the canonical resource without environment values, even from an unredacted item', async () => {
    const resource = await lambdaFunction.toResource({...listed, Tags: {team: 'a'}} as unknown as LambdaFunctionItem, ctx)
    expect(resource).toMatchObject({
      arn: 'arn:aws:lambda:eu-west-1:123456789012:function:worker',
      type: 'AWS::Lambda::Function',
      id: 'worker',
      name: 'worker',
      region: 'eu-west-1',
      accountId: '123456789012',
      createdAt: null,
      tags: {team: 'a'},
      source: 'api',
    })
    expect(resource.configuration.Environment).toEqual({VariableNames: ['API_URL', 'DB_PASSWORD']})
    expect(resource.configuration.LastModified).toBe('2024-05-05T05:05:05.000+0000')
    expect(JSON.stringify(resource)).not.toContain(SECRET)
    expect(JSON.stringify(resource)).not.toContain('example.com')
  })

  it('uses its role, subnets and security groups', async () => {
    const resource = await lambdaFunction.toResource({...listed, Tags: {}} as unknown as LambdaFunctionItem, ctx)
    expect(lambdaFunction.relationships?.(resource)).toEqual([
      {type: 'AWS::IAM::Role', arn: 'arn:aws:iam::123456789012:role/app/app-role', id: 'app-role', kind: 'uses'},
      {type: 'AWS::EC2::Subnet', arn: 'arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-2', id: 'subnet-2', kind: 'uses'},
      {type: 'AWS::EC2::Subnet', arn: 'arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-1', id: 'subnet-1', kind: 'uses'},
      {type: 'AWS::EC2::SecurityGroup', arn: 'arn:aws:ec2:eu-west-1:123456789012:security-group/sg-1', id: 'sg-1', kind: 'uses'},
    ])
    // The key its environment is encrypted with.
    const keyArn = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'
    const encrypted = await lambdaFunction.toResource({...listed, KMSKeyArn: keyArn, Tags: {}} as unknown as LambdaFunctionItem, ctx)
    expect(lambdaFunction.relationships?.(encrypted)).toContainEqual({type: 'AWS::KMS::Key', arn: keyArn, id: '1234abcd-12ab-34cd-56ef-1234567890ab', kind: 'uses'})
    expect(lambdaFunction.dependsOn).toContain('AWS::KMS::Key')
  })

  it('compares its layers in order (a later layer overrides an earlier one), its subnets and groups as sets', async () => {
    const layer = (name: string) => ({Arn: `arn:aws:lambda:eu-west-1:123456789012:layer:${name}:1`, CodeSize: 100})
    const withLayers = (Layers: Array<ReturnType<typeof layer>>, SubnetIds = ['subnet-2', 'subnet-1']) =>
      lambdaFunction.toResource({...listed, Layers, VpcConfig: {...listed.VpcConfig, SubnetIds}, Tags: {}} as unknown as LambdaFunctionItem, ctx)
    const before = await withLayers([layer('base'), layer('patch')])
    expect(diffResource(before, await withLayers([layer('base'), layer('patch')], ['subnet-1', 'subnet-2']), lambdaFunction)).toEqual([])
    const reordered = diffResource(before, await withLayers([layer('patch'), layer('base')]), lambdaFunction)
    expect(reordered.map((c) => [c.path, c.kind, c.before, c.after])).toEqual([
      ['Layers[0].Arn', 'changed', layer('base').Arn, layer('patch').Arn],
      ['Layers[1].Arn', 'changed', layer('patch').Arn, layer('base').Arn],
    ])
  })

  it('lists functions with their tags and drops environment values as they arrive', async () => {
    const lambda = mockClient(LambdaClient)
    try {
      lambda.on(ListFunctionsCommand).resolves({Functions: [listed], NextMarker: 'm1'})
      lambda.on(ListFunctionsCommand, {Marker: 'm1'}).resolves({Functions: [{FunctionName: 'plain', FunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:plain'}]})
      lambda.on(ListTagsCommand).resolves({Tags: {}})
      lambda.on(ListTagsCommand, {Resource: listed.FunctionArn}).resolves({Tags: {team: 'a'}})

      const items: LambdaFunctionItem[] = []
      for await (const page of lambdaFunction.list(ctx)) items.push(...page)

      expect(items.map((f) => [f.FunctionName, f.Tags])).toEqual([
        ['worker', {team: 'a'}],
        ['plain', {}],
      ])
      expect(items[0]?.Environment).toEqual({VariableNames: ['API_URL', 'DB_PASSWORD']})
      expect(JSON.stringify(items)).not.toContain(SECRET)
    } finally {
      lambda.restore()
    }
  })
})

describe('AWS::Lambda::Function deleter', () => {
  it('deletes the function, its versions and aliases in one call, by name', async () => {
    const resource = await lambdaFunction.toResource({...listed, Tags: {}} as unknown as LambdaFunctionItem, testContext({region: 'eu-west-1'}))
    expect(lambdaFunction.deleter?.steps(resource)).toEqual([
      {action: 'delete-function', description: 'Delete Lambda function worker with its versions and aliases', params: {functionName: 'worker'}},
    ])
  })
})
