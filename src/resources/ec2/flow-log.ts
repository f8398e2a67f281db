import type {FlowLog} from '@aws-sdk/client-ec2'

import {stringParam} from '../../cleanup/deleting.js'
import {paginateItems} from '../../aws/paginate.js'
import type {ResourceSpec} from '../types.js'
import {ec2Edges, ec2Resource} from './arn.js'
import {CallLog, currentOf, doneWith, ec2Of, failureOf, labelOf, stepOf, unknownStep} from './delete-steps.js'

/** The spec type of a flow log's monitored resource, from its id prefix (transit gateways etc. are not registered). */
const monitoredTypes: ReadonlyArray<[prefix: string, type: string]> = [
  ['vpc-', 'AWS::EC2::VPC'],
  ['subnet-', 'AWS::EC2::Subnet'],
  ['eni-', 'AWS::EC2::NetworkInterface'],
]

export const flowLog: ResourceSpec<FlowLog> = {
  type: 'AWS::EC2::FlowLog',
  service: 'ec2',
  scope: 'regional',
  docs: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeFlowLogs.html',

  async *list(ctx) {
    const ec2 = await ctx.clients.get('ec2', ctx.region)
    yield* paginateItems((r) => ec2.describeFlowLogs(r), {MaxResults: 1000}, 'NextToken', 'NextToken', 'FlowLogs')
  },

  toResource(item, ctx) {
    const id = item.FlowLogId ?? ''
    return ec2Resource(ctx, flowLog.type, item, {id, tags: item.Tags, createdAt: item.CreationTime})
  },

  relationships(resource) {
    const config = resource.configuration as FlowLog
    const monitored = monitoredTypes.find(([prefix]) => config.ResourceId?.startsWith(prefix))
    const edges = monitored ? ec2Edges(resource, monitored[1], [config.ResourceId], 'uses') : []
    // An S3 destination is `arn:<partition>:s3:::<bucket>[/<prefix>]`. A bucket emptied while a flow log
    // still delivers to it may not be empty when it is deleted: the flow log goes first.
    const bucket = config.LogDestinationType === 's3' ? /^arn:[^:]+:s3:::([^/]+)/.exec(config.LogDestination ?? '')?.[1] : undefined
    if (bucket !== undefined) edges.push({type: 'AWS::S3::Bucket', arn: `${config.LogDestination!.split(':::')[0]}:::${bucket}`, id: bucket, kind: 'uses'})
    return edges
  },

  dependsOn: ['AWS::EC2::VPC', 'AWS::EC2::Subnet', 'AWS::EC2::NetworkInterface', 'AWS::S3::Bucket'],
  sets: {Tags: 'Key'},

  // The logs already delivered (CloudWatch Logs group, S3 objects) stay where they are.
  deleter: {
    steps: (resource) => [stepOf('delete-flow-log', `Delete flow log ${labelOf(resource)}`, {flowLogId: resource.id})],

    async current(ctx, item) {
      const ec2 = await ec2Of(ctx)
      // An unknown id is simply not listed.
      const out = await ec2.describeFlowLogs({FlowLogIds: [item.id]})
      return currentOf(flowLog, ctx, out.FlowLogs?.find((f) => f.FlowLogId === item.id))
    },

    async run(ctx, item, step) {
      if (step.action !== 'delete-flow-log') throw unknownStep(flowLog.type, step)
      const id = stringParam(step, 'flowLogId')
      const ec2 = await ec2Of(ctx)
      const log = new CallLog()
      const out = log.note(await ec2.deleteFlowLogs({FlowLogIds: [id]}))
      const failure = failureOf(out, id)
      if (failure) throw failure
      return doneWith(log)
    },
  },
}
