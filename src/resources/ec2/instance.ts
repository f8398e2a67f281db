import type {EC2, Instance} from '@aws-sdk/client-ec2'

import {stringParam} from '../../cleanup/deleting.js'
import {unlessDeleted} from '../../aws/errors.js'
import {paginateItems} from '../../aws/paginate.js'
import type {ResourceLink} from '../../cleanup/types.js'
import {isoDate} from '../normalize.js'
import type {Relationship, ResourceSpec} from '../types.js'
import {ec2Arn, ec2Edges, ec2Resource, locationOf, uniqueRelationships} from './arn.js'
import {CallLog, currentOf, ec2Of, finished, hasCode, labelOf, markRequested, reworded, stepOf, unknownStep, waiting, wasRequested} from './delete-steps.js'

/**
 * AWS records no creation time for an instance, and `LaunchTime` moves on every stop/start. The root
 * volume's attach time stays at the first launch, so the earlier of the two is the best estimate.
 */
function estimateCreatedAt(item: Instance): string | null {
  const mappings = item.BlockDeviceMappings ?? []
  const root = mappings.find((m) => m.DeviceName !== undefined && m.DeviceName === item.RootDeviceName) ?? mappings[0]
  const candidates = [isoDate(item.LaunchTime), isoDate(root?.Ebs?.AttachTime)].filter((d): d is string => d !== null)
  // ISO 8601 strings in UTC sort chronologically.
  return candidates.sort()[0] ?? null
}

export const instance: ResourceSpec<Instance> = {
  type: 'AWS::EC2::Instance',
  service: 'ec2',
  scope: 'regional',
  docs: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstances.html',

  async *list(ctx) {
    const ec2 = await ctx.clients.get('ec2', ctx.region)
    const pages = paginateItems((r) => ec2.describeInstances(r), {MaxResults: 1000}, 'NextToken', 'NextToken', 'Reservations')
    for await (const reservations of pages) {
      // Terminated instances stay visible for about an hour but no longer exist.
      const instances = reservations.flatMap((r) => r.Instances ?? []).filter((i) => i.State?.Name !== 'terminated')
      if (instances.length > 0) yield instances
    }
  },

  toResource(item, ctx) {
    const id = item.InstanceId ?? ''
    return ec2Resource(ctx, instance.type, item, {id, tags: item.Tags, createdAt: estimateCreatedAt(item)})
  },

  relationships(resource) {
    const config = resource.configuration as Instance
    const enis = config.NetworkInterfaces ?? []
    const edges: Relationship[] = [
      ...ec2Edges(resource, 'AWS::EC2::Subnet', [config.SubnetId], 'in'),
      ...ec2Edges(
        resource,
        'AWS::EC2::SecurityGroup',
        [...(config.SecurityGroups ?? []), ...enis.flatMap((n) => n.Groups ?? [])].map((g) => g.GroupId),
        'uses',
      ),
      ...ec2Edges(resource, 'AWS::EC2::NetworkInterface', enis.map((n) => n.NetworkInterfaceId), 'uses'),
      ...ec2Edges(resource, 'AWS::EC2::Volume', (config.BlockDeviceMappings ?? []).map((m) => m.Ebs?.VolumeId), 'uses'),
    ]
    // Key pair ARNs are built from the key's name; the instance does not know the key pair id.
    if (config.KeyName) edges.push({type: 'AWS::EC2::KeyPair', arn: ec2Arn(locationOf(resource), 'AWS::EC2::KeyPair', config.KeyName), kind: 'uses'})
    const profileArn = config.IamInstanceProfile?.Arn
    if (profileArn) edges.push({type: 'AWS::IAM::InstanceProfile', arn: profileArn, kind: 'uses'})
    return uniqueRelationships(edges)
  },

  dependsOn: [
    'AWS::EC2::Subnet',
    'AWS::EC2::SecurityGroup',
    'AWS::EC2::NetworkInterface',
    'AWS::EC2::Volume',
    'AWS::EC2::KeyPair',
    'AWS::IAM::InstanceProfile',
  ],
  sets: {
    BlockDeviceMappings: 'DeviceName',
    NetworkInterfaces: 'NetworkInterfaceId',
    'NetworkInterfaces.*.Groups': 'GroupId',
    'NetworkInterfaces.*.Ipv4Prefixes': 'Ipv4Prefix',
    'NetworkInterfaces.*.Ipv6Prefixes': 'Ipv6Prefix',
    'NetworkInterfaces.*.Ipv6Addresses': 'Ipv6Address',
    'NetworkInterfaces.*.PrivateIpAddresses': 'PrivateIpAddress',
    ProductCodes: 'ProductCodeId',
    SecurityGroups: 'GroupId',
    Tags: 'Key',
  },
  // Stopping and starting moves all of these; they are reported, but as state, not configuration.
  stateFields: [
    'State',
    'StateReason',
    'StateTransitionReason',
    'LaunchTime',
    'PublicIpAddress',
    'PublicDnsName',
    'NetworkInterfaces.*.Association',
    'NetworkInterfaces.*.PrivateIpAddresses.*.Association',
    'NetworkInterfaces.*.Status',
    'NetworkInterfaces.*.Attachment.Status',
    'BlockDeviceMappings.*.Ebs.Status',
  ],

  deleter: {
    steps: (resource) => [stepOf('terminate-instance', `Terminate instance ${labelOf(resource)}`, {instanceId: resource.id})],

    // What AWS deletes on termination; everything else attached (volumes, interfaces) is detached and stays.
    includes(resource) {
      const config = resource.configuration as Instance
      const links: ResourceLink[] = []
      for (const m of config.BlockDeviceMappings ?? []) {
        if (m.Ebs?.DeleteOnTermination === true && m.Ebs.VolumeId) links.push({type: 'AWS::EC2::Volume', id: m.Ebs.VolumeId})
      }

      for (const n of config.NetworkInterfaces ?? []) {
        if (n.Attachment?.DeleteOnTermination === true && n.NetworkInterfaceId) links.push({type: 'AWS::EC2::NetworkInterface', id: n.NetworkInterfaceId})
      }

      return links
    },

    async current(ctx, item) {
      const found = await describeInstance(await ec2Of(ctx), item.id)
      return found?.State?.Name === 'terminated' ? undefined : currentOf(instance, ctx, found)
    },

    async run(ctx, item, step) {
      if (step.action !== 'terminate-instance') throw unknownStep(instance.type, step)
      const id = stringParam(step, 'instanceId')
      const ec2 = await ec2Of(ctx)
      const log = new CallLog()
      const state = (await describeInstance(ec2, id, log))?.State?.Name
      if (state === undefined || state === 'terminated') return finished(step, `${id} is terminated`, log)
      if (state === 'shutting-down' || wasRequested(step)) return waiting(`${id} is ${state}`, log)
      try {
        log.note(await ec2.terminateInstances({InstanceIds: [id]}))
      } catch (error) {
        // Termination protection is the owner's explicit "keep": the plan does not override it.
        if (hasCode(error, 'OperationNotPermitted') && /disableApiTermination/i.test(String((error as Error).message))) {
          throw reworded(
            error,
            'OperationNotPermitted',
            `${id} has termination protection on (DisableApiTermination), which awsinv does not turn off: turn it off (aws ec2 modify-instance-attribute --instance-id ${id} --no-disable-api-termination) and run the plan again, or protect the instance with a rule`,
          )
        }

        throw error
      }

      markRequested(step)
      return waiting(`${id} is terminating`, log)
    },

    // Termination usually takes a minute or two; instances with large instance stores longer.
    waitTimeoutMs: 600_000,
  },
}

/** The instance with this id, or undefined when AWS no longer knows it. */
async function describeInstance(ec2: EC2, id: string, log = new CallLog()): Promise<Instance | undefined> {
  const out = await unlessDeleted(() => ec2.describeInstances({InstanceIds: [id]}))
  if (out === undefined) return undefined
  return log.note(out).Reservations?.flatMap((r) => r.Instances ?? []).find((i) => i.InstanceId === id)
}
