import type {Subnet} from '@aws-sdk/client-ec2'

import {stringParam} from '../../cleanup/deleting.js'
import {unlessDeleted} from '../../aws/errors.js'
import {paginateItems} from '../../aws/paginate.js'
import type {ResourceSpec} from '../types.js'
import {ec2Edges, ec2Resource} from './arn.js'
import {CallLog, currentOf, doneWith, ec2Of, labelOf, stepOf, unknownStep, waitForLambdaInterfaces} from './delete-steps.js'

export const subnet: ResourceSpec<Subnet> = {
  type: 'AWS::EC2::Subnet',
  service: 'ec2',
  scope: 'regional',
  docs: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSubnets.html',

  async *list(ctx) {
    const ec2 = await ctx.clients.get('ec2', ctx.region)
    yield* paginateItems((r) => ec2.describeSubnets(r), {MaxResults: 1000}, 'NextToken', 'NextToken', 'Subnets')
  },

  toResource(item, ctx) {
    // A subnet shared through RAM carries its owner's ARN: keep it so both accounts name it alike.
    const id = item.SubnetId ?? ''
    return ec2Resource(ctx, subnet.type, item, {id, tags: item.Tags, arn: item.SubnetArn})
  },

  relationships(resource) {
    const config = resource.configuration as Subnet
    return ec2Edges(resource, 'AWS::EC2::VPC', [config.VpcId], 'in')
  },

  dependsOn: ['AWS::EC2::VPC'],
  // Moves whenever an ENI is created or deleted in the subnet.
  volatile: ['AvailableIpAddressCount'],
  sets: {Ipv6CidrBlockAssociationSet: 'AssociationId', Tags: 'Key'},

  // Its route table and network ACL associations go with it. AWS refuses while network interfaces are in it:
  // while only a deleted Lambda function's remain, which AWS removes on its own, the step waits for them;
  // others (a load balancer's lingering for minutes) make DeleteSubnet fail, and the executor retries.
  deleter: {
    steps: (resource) => [stepOf('delete-subnet', `Delete subnet ${labelOf(resource)}`, {subnetId: resource.id})],

    async current(ctx, item) {
      const ec2 = await ec2Of(ctx)
      const out = await unlessDeleted(() => ec2.describeSubnets({SubnetIds: [item.id]}))
      return currentOf(subnet, ctx, out?.Subnets?.find((s) => s.SubnetId === item.id))
    },

    async run(ctx, _item, step) {
      if (step.action !== 'delete-subnet') throw unknownStep(subnet.type, step)
      const subnetId = stringParam(step, 'subnetId')
      const ec2 = await ec2Of(ctx)
      const log = new CallLog()
      const lambdaLeft = await waitForLambdaInterfaces(ec2, 'subnet-id', subnetId, log)
      if (lambdaLeft !== undefined) return lambdaLeft
      log.note(await ec2.deleteSubnet({SubnetId: subnetId}))
      return doneWith(log)
    },

    // Lambda's hyperplane interfaces can take up to ~40 minutes to be released after their function is deleted.
    waitTimeoutMs: 45 * 60_000,
  },
}
