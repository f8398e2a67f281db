import type {FlowLog} from '@aws-sdk/client-ec2'

import {paginateItems} from '../../aws/paginate.js'
import type {ResourceSpec} from '../types.js'
import {ec2Edges, ec2Resource} from './arn.js'
import {CallLog, currentOf, doneWith, ec2Of, failureOf, labelOf, stepOf, stringParam, unknownStep} from './delete-steps.js'

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
    const resourceId = (resource.configuration as FlowLog).ResourceId
    const monitored = monitoredTypes.find(([prefix]) => resourceId?.startsWith(prefix))
    return monitored ? ec2Edges(resource, monitored[1], [resourceId], 'uses') : []
  },

  dependsOn: ['AWS::EC2::VPC', 'AWS::EC2::Subnet', 'AWS::EC2::NetworkInterface'],
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
