import {describe, expect, it} from 'vitest'

import {launchTemplate} from '../../../../src/resources/ec2/launch-template.js'
import {testContext} from '../../../support/context.js'
import {currentItems} from '../../../support/cleanup-sandbox.js'
import {collected} from '../../../support/scan.js'

describe('AWS::EC2::LaunchTemplate', () => {
  const ctx = testContext()
  const item = {
    LaunchTemplateId: 'lt-1',
    LaunchTemplateName: 'web',
    CreateTime: new Date('2024-09-09T09:09:09Z'),
    CreatedBy: 'arn:aws:iam::123456789012:user/alice',
    DefaultVersionNumber: 1,
    LatestVersionNumber: 3,
    Tags: [{Key: 'team', Value: 'web'}],
  }

  it('builds the canonical resource, named after the template', async () => {
    const resource = await launchTemplate.toResource(item, ctx)
    expect(resource).toMatchObject({
      arn: 'arn:aws:ec2:us-east-1:123456789012:launch-template/lt-1',
      type: 'AWS::EC2::LaunchTemplate',
      id: 'lt-1',
      name: 'web',
      createdAt: '2024-09-09T09:09:09.000Z',
      tags: {team: 'web'},
      source: 'api',
    })
    expect(resource.configuration.CreateTime).toBe('2024-09-09T09:09:09.000Z')
  })

  it('pages with the largest page size the API accepts', async () => {
    const requests: unknown[] = []
    const ec2 = {
      describeLaunchTemplates: async (request: unknown) => {
        requests.push(request)
        return requests.length === 1 ? {LaunchTemplates: [item], NextToken: 'n'} : {LaunchTemplates: [{...item, LaunchTemplateId: 'lt-2'}]}
      },
    }
    const ids: string[] = []
    for await (const page of launchTemplate.list(testContext({clients: {get: async () => ec2} as never}))) ids.push(...page.map((t) => t.LaunchTemplateId ?? ''))
    expect(ids).toEqual(['lt-1', 'lt-2'])
    expect(requests).toEqual([{MaxResults: 200}, {MaxResults: 200, NextToken: 'n'}])
  })
})

describe('AWS::EC2::LaunchTemplate deleter', () => {
  it('deletes the template, all versions, by its id', async () => {
    expect(launchTemplate.deleter!.steps(await collected(launchTemplate.type, currentItems['AWS::EC2::LaunchTemplate']![0]))).toEqual([
      {action: 'delete-launch-template', description: 'Delete launch template sbx-lt (lt-e0d422822a3c350b7) and all its versions', params: {launchTemplateId: 'lt-e0d422822a3c350b7'}},
    ])
  })
})
