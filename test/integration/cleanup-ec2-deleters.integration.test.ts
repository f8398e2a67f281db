import type {EC2} from '@aws-sdk/client-ec2'
import type {S3} from '@aws-sdk/client-s3'
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest'

import {planCleanup} from '../../src/cleanup/plan.js'
import {emptyRules} from '../../src/cleanup/rules.js'
import {runItemSteps} from '../../src/cleanup/run-item.js'
import type {CleanupPlan, PlanItem} from '../../src/cleanup/types.js'
import {specOf, specs} from '../../src/resources/registry.js'
import type {Resource} from '../../src/resources/types.js'
import {type EmulatorContexts, collectOne, collectType, deleteResource, emulatorContexts, planItemOf, runPlanItem} from '../support/deleters.js'
import {type Emulator, startEmulator} from '../support/emulator.js'
import {emulatorClients} from '../support/seed.js'

/*
 * The EC2 deleters against the emulator. Where moto 5.2.5 differs from AWS, and what that hides:
 * - Instances terminate at once; an interface attached with DeleteOnTermination off stays attached to the
 *   terminated instance (AWS detaches it), so the interface's detach step does real work here.
 * - A deleted NAT gateway keeps its network interface, a deleted VPC its default network ACL (AWS deletes both).
 * - Nothing checks dependencies when security groups, subnets or interfaces are deleted, nor mapped public
 *   addresses when an internet gateway is detached: the order is checked through the plan, not through
 *   AWS refusing a wrong one.
 * - DeleteKeyPair ignores KeyPairId (the deleter then deletes by the name it read under that id), and
 *   RunInstances ignores DisableApiTermination (set afterwards with ModifyInstanceAttribute).
 */

const ACCOUNT = '123456789012'
const REGION = 'us-east-1'
const tags = [{Key: 'env', Value: 'sbx'}]
const tagged = (type: string, name: string) => [{ResourceType: type as never, Tags: [...tags, {Key: 'Name', Value: name}]}]

let emulator: Emulator
let ec2: EC2
let s3: S3
let ctx: EmulatorContexts

beforeAll(async () => {
  emulator = await startEmulator()
  ;({ec2, s3} = emulatorClients(emulator.url, REGION))
})

afterAll(async () => {
  ec2?.destroy()
  s3?.destroy()
  await emulator?.stop()
})

beforeEach(async () => {
  await emulator.reset()
  ctx = emulatorContexts(emulator.url, REGION)
})

/** The ids of everything `seedNetwork` creates, by role. */
interface Seeded {
  vpc: string
  subnet: string
  igw: string
  routeTable: string
  webSg: string
  dbSg: string
  instance: string
  dataVolume: string
  primaryEni: string
  extraEni: string
  instanceEip: string
  looseVolume: string
  snapshot: string
  nat: string
  natEni: string
  natEip: string
  endpoint: string
  flowLog: string
  acl: string
  keyPair: string
  launchTemplate: string
}

/**
 * A VPC with everything that makes deleting it hard: a subnet with its own route table (a default route to
 * an attached internet gateway) and network ACL, two security groups whose rules name each other, an
 * instance (primary interface and a data volume both DeleteOnTermination) with an Elastic IP, a second
 * interface attached to it, a NAT gateway with its own Elastic IP, a gateway endpoint routed from the
 * table, a flow log; besides, a loose volume, a snapshot of it, a key pair and a launch template.
 */
async function seedNetwork(): Promise<Seeded> {
  const vpc = (await ec2.createVpc({CidrBlock: '10.40.0.0/16', TagSpecifications: tagged('vpc', 'sbx-vpc')})).Vpc!.VpcId!
  const subnet = (await ec2.createSubnet({VpcId: vpc, CidrBlock: '10.40.1.0/24', AvailabilityZone: `${REGION}a`, TagSpecifications: tagged('subnet', 'sbx-subnet')})).Subnet!
    .SubnetId!
  const igw = (await ec2.createInternetGateway({TagSpecifications: tagged('internet-gateway', 'sbx-igw')})).InternetGateway!.InternetGatewayId!
  await ec2.attachInternetGateway({InternetGatewayId: igw, VpcId: vpc})
  const routeTable = (await ec2.createRouteTable({VpcId: vpc, TagSpecifications: tagged('route-table', 'sbx-rtb')})).RouteTable!.RouteTableId!
  await ec2.createRoute({RouteTableId: routeTable, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw})
  await ec2.associateRouteTable({RouteTableId: routeTable, SubnetId: subnet})

  const acl = (await ec2.createNetworkAcl({VpcId: vpc, TagSpecifications: tagged('network-acl', 'sbx-acl')})).NetworkAcl!.NetworkAclId!
  // A subnet is moved to another ACL by replacing its association (there is no "associate").
  const current = (await ec2.describeNetworkAcls({Filters: [{Name: 'association.subnet-id', Values: [subnet]}]})).NetworkAcls![0]!
  const association = current.Associations!.find((a) => a.SubnetId === subnet)!.NetworkAclAssociationId!
  await ec2.replaceNetworkAclAssociation({AssociationId: association, NetworkAclId: acl})

  const webSg = (await ec2.createSecurityGroup({GroupName: 'sbx-web', Description: 'web', VpcId: vpc, TagSpecifications: tagged('security-group', 'sbx-web')})).GroupId!
  const dbSg = (await ec2.createSecurityGroup({GroupName: 'sbx-db', Description: 'db', VpcId: vpc, TagSpecifications: tagged('security-group', 'sbx-db')})).GroupId!
  await ec2.authorizeSecurityGroupIngress({GroupId: webSg, IpPermissions: [{IpProtocol: 'tcp', FromPort: 443, ToPort: 443, UserIdGroupPairs: [{GroupId: dbSg}]}]})
  await ec2.authorizeSecurityGroupIngress({GroupId: dbSg, IpPermissions: [{IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{GroupId: webSg}]}]})
  await ec2.authorizeSecurityGroupEgress({GroupId: dbSg, IpPermissions: [{IpProtocol: 'tcp', FromPort: 443, ToPort: 443, UserIdGroupPairs: [{GroupId: webSg}]}]})

  const keyPair = (await ec2.createKeyPair({KeyName: 'sbx-key', TagSpecifications: tagged('key-pair', 'sbx-key')})).KeyPairId!
  const launched = await ec2.runInstances({
    ImageId: 'ami-12345678',
    InstanceType: 't3.micro',
    MinCount: 1,
    MaxCount: 1,
    KeyName: 'sbx-key',
    NetworkInterfaces: [{DeviceIndex: 0, SubnetId: subnet, Groups: [webSg], DeleteOnTermination: true}],
    BlockDeviceMappings: [{DeviceName: '/dev/sdf', Ebs: {VolumeSize: 8, DeleteOnTermination: true}}],
    TagSpecifications: tagged('instance', 'sbx-app'),
  })
  const instance = launched.Instances![0]!.InstanceId!
  const described = (await ec2.describeInstances({InstanceIds: [instance]})).Reservations![0]!.Instances![0]!
  const dataVolume = described.BlockDeviceMappings!.find((m) => m.DeviceName === '/dev/sdf')!.Ebs!.VolumeId!
  const primaryEni = described.NetworkInterfaces!.find((n) => n.Attachment?.DeviceIndex === 0)!.NetworkInterfaceId!
  const extraEni = (await ec2.createNetworkInterface({SubnetId: subnet, Groups: [dbSg], TagSpecifications: tagged('network-interface', 'sbx-eni')})).NetworkInterface!
    .NetworkInterfaceId!
  await ec2.attachNetworkInterface({NetworkInterfaceId: extraEni, InstanceId: instance, DeviceIndex: 1})
  const instanceEip = (await ec2.allocateAddress({Domain: 'vpc', TagSpecifications: tagged('elastic-ip', 'sbx-eip')})).AllocationId!
  await ec2.associateAddress({AllocationId: instanceEip, InstanceId: instance})

  const looseVolume = (await ec2.createVolume({AvailabilityZone: `${REGION}a`, Size: 8, TagSpecifications: tagged('volume', 'sbx-loose')})).VolumeId!
  const snapshot = (await ec2.createSnapshot({VolumeId: looseVolume, TagSpecifications: tagged('snapshot', 'sbx-backup')})).SnapshotId!

  const natEip = (await ec2.allocateAddress({Domain: 'vpc', TagSpecifications: tagged('elastic-ip', 'sbx-nat-eip')})).AllocationId!
  const natGateway = (await ec2.createNatGateway({SubnetId: subnet, AllocationId: natEip, TagSpecifications: tagged('natgateway', 'sbx-nat')})).NatGateway!
  const endpoint = (
    await ec2.createVpcEndpoint({VpcId: vpc, ServiceName: `com.amazonaws.${REGION}.s3`, VpcEndpointType: 'Gateway', RouteTableIds: [routeTable], TagSpecifications: tagged('vpc-endpoint', 'sbx-vpce')})
  ).VpcEndpoint!.VpcEndpointId!

  const flowLog = await createFlowLog(vpc)
  const launchTemplate = (
    await ec2.createLaunchTemplate({
      LaunchTemplateName: 'sbx-lt',
      LaunchTemplateData: {InstanceType: 't3.micro', ImageId: 'ami-12345678'},
      TagSpecifications: tagged('launch-template', 'sbx-lt'),
    })
  ).LaunchTemplate!.LaunchTemplateId!

  return {
    vpc,
    subnet,
    igw,
    routeTable,
    webSg,
    dbSg,
    instance,
    dataVolume,
    primaryEni,
    extraEni,
    instanceEip,
    looseVolume,
    snapshot,
    nat: natGateway.NatGatewayId!,
    natEni: natGateway.NatGatewayAddresses![0]!.NetworkInterfaceId!,
    natEip,
    endpoint,
    flowLog,
    acl,
    keyPair,
    launchTemplate,
  }
}

/** A flow log of a VPC into a new bucket (moto checks that the destination exists). */
async function createFlowLog(vpc: string): Promise<string> {
  await s3.createBucket({Bucket: 'sbx-flow-logs'})
  const out = await ec2.createFlowLogs({
    ResourceIds: [vpc],
    ResourceType: 'VPC',
    TrafficType: 'ALL',
    LogDestinationType: 's3',
    LogDestination: 'arn:aws:s3:::sbx-flow-logs',
    TagSpecifications: tagged('vpc-flow-log', 'sbx-flow'),
  })
  return out.FlowLogIds![0]!
}

/** The EC2 types, and every type whose resources may use one of them (the planner needs those collected to rule that out). */
const collectedTypes = specs
  .filter((s) => s.scope === 'regional' && !s.type.startsWith('Account::'))
  .filter((s) => s.type.startsWith('AWS::EC2::') || (s.dependsOn ?? []).some((t) => t.startsWith('AWS::EC2::')))
  .map((s) => s.type)

/** Collects those types as a snapshot would, every cell `ok`. */
async function collectState(): Promise<Resource[]> {
  const resources: Resource[] = []
  for (const type of collectedTypes) resources.push(...(await collectType(type, ctx.collect)))
  return resources
}

/** A purge of everything collected, every type selected, as the administrator, with the real deleters. */
function purgePlan(resources: Resource[]): CleanupPlan {
  return planCleanup({
    mode: 'purge',
    current: {
      ref: {name: null, id: null, capturedAt: new Date().toISOString()},
      resources,
      cells: collectedTypes.map((resourceType) => ({accountId: ACCOUNT, region: REGION, resourceType, status: 'ok'})),
    },
    caller: {arn: `arn:aws:iam::${ACCOUNT}:user/admin`, accountId: ACCOUNT},
    rules: emptyRules(),
    selection: {types: null, regions: null},
    now: new Date(),
  })
}

/** Runs a plan as the executor does: wave after wave, the items of a wave in parallel, each re-read first. */
async function executePlan(plan: CleanupPlan): Promise<Array<{item: PlanItem; status: string; error?: string}>> {
  const results: Array<{item: PlanItem; status: string; error?: string}> = []
  for (const wave of plan.waves) {
    const outcomes = await Promise.all(
      wave.items.map(async (item) => {
        if (item.kind === 'delete') {
          // The executor re-reads each resource right before deleting it (and re-checks its tags).
          const current = await specOf(item.type)!.deleter!.current(ctx.delete, item)
          expect(current?.tags, `${item.type} ${item.id} as re-read`).toEqual(item.tags)
        }

        const result = await runPlanItem(item, ctx.delete)
        return {item, status: result.status, ...(result.error ? {error: result.error} : {})}
      }),
    )
    results.push(...outcomes)
  }

  return results
}

/**
 * The ids of every EC2 resource that still exists, read with plain SDK calls (not the deleters' own reads).
 * Terminated instances and deleted NAT gateways and endpoints, which stay listed for a while, do not count.
 */
async function liveIds(): Promise<Set<string>> {
  const ids = [
    ...(await ec2.describeVpcs({})).Vpcs!.map((v) => v.VpcId),
    ...(await ec2.describeSubnets({})).Subnets!.map((x) => x.SubnetId),
    ...(await ec2.describeInternetGateways({})).InternetGateways!.map((g) => g.InternetGatewayId),
    ...(await ec2.describeRouteTables({})).RouteTables!.map((t) => t.RouteTableId),
    ...(await ec2.describeNetworkAcls({})).NetworkAcls!.map((a) => a.NetworkAclId),
    ...(await ec2.describeSecurityGroups({})).SecurityGroups!.map((g) => g.GroupId),
    ...(await ec2.describeInstances({})).Reservations!.flatMap((r) => r.Instances!).filter((i) => i.State?.Name !== 'terminated').map((i) => i.InstanceId),
    ...(await ec2.describeVolumes({})).Volumes!.map((v) => v.VolumeId),
    ...(await ec2.describeSnapshots({OwnerIds: ['self']})).Snapshots!.map((x) => x.SnapshotId),
    ...(await ec2.describeNetworkInterfaces({})).NetworkInterfaces!.map((n) => n.NetworkInterfaceId),
    ...(await ec2.describeAddresses({})).Addresses!.map((a) => a.AllocationId),
    ...(await ec2.describeNatGateways({})).NatGateways!.filter((n) => n.State !== 'deleted').map((n) => n.NatGatewayId),
    ...(await ec2.describeVpcEndpoints({})).VpcEndpoints!.filter((e) => e.State?.toLowerCase() !== 'deleted').map((e) => e.VpcEndpointId),
    ...(await ec2.describeFlowLogs({})).FlowLogs!.map((f) => f.FlowLogId),
    ...(await ec2.describeKeyPairs({})).KeyPairs!.map((k) => k.KeyPairId),
    ...(await ec2.describeLaunchTemplates({})).LaunchTemplates!.map((t) => t.LaunchTemplateId),
  ]
  return new Set(ids.filter((id): id is string => id !== undefined))
}

/** The account's default VPC and what AWS made with it, by id. */
async function defaultVpcIds(): Promise<string[]> {
  const vpc = (await ec2.describeVpcs({Filters: [{Name: 'is-default', Values: ['true']}]})).Vpcs![0]!.VpcId!
  const inVpc = [{Name: 'vpc-id', Values: [vpc]}]
  return [
    vpc,
    ...(await ec2.describeSubnets({Filters: inVpc})).Subnets!.map((s) => s.SubnetId!),
    ...(await ec2.describeSecurityGroups({Filters: inVpc})).SecurityGroups!.map((g) => g.GroupId!),
    ...(await ec2.describeRouteTables({Filters: inVpc})).RouteTables!.map((t) => t.RouteTableId!),
    ...(await ec2.describeNetworkAcls({Filters: inVpc})).NetworkAcls!.map((a) => a.NetworkAclId!),
  ].sort()
}

describe('EC2 deleters: a dependency-rich VPC purged in the planner’s order', () => {
  it('deletes everything, wave by wave, and leaves the default VPC alone', async () => {
    const defaults = await defaultVpcIds()
    const ids = await seedNetwork()
    const plan = purgePlan(await collectState())

    const items = plan.waves.flatMap((w) => w.items)
    const planned = new Set(items.filter((i) => i.kind === 'delete').flatMap((i) => [i.id, ...i.includes.map((x) => x.id)]))
    const seeded = Object.values(ids)
    expect(seeded.filter((id) => !planned.has(id))).toEqual([])
    expect(plan.skipped).toEqual([])
    // The two groups' mutual references are revoked by prepare items before either group goes.
    expect(items.filter((i) => i.kind === 'prepare').map((i) => i.id).sort()).toEqual([ids.webSg, ids.dbSg].sort())
    // What AWS deletes with the instance and the NAT gateway is folded into them.
    const includesOf = (id: string) => items.find((i) => i.id === id)!.includes.map((x) => x.id).sort()
    expect(includesOf(ids.instance)).toEqual([ids.dataVolume, ids.primaryEni].sort())
    expect(includesOf(ids.nat)).toEqual([ids.natEni])

    const before = await liveIds()
    expect([...planned].filter((id) => !before.has(id))).toEqual([])

    const results = await executePlan(plan)
    expect(results.filter((r) => r.status === 'failed')).toEqual([])

    // moto keeps a deleted NAT gateway's interface and a deleted VPC's default network ACL; AWS deletes
    // both with their owner.
    const vpcAcl = items.find((i) => i.id === ids.vpc)!.includes.find((x) => x.type === 'AWS::EC2::NetworkAcl')!.id
    const motoKeeps = new Set([ids.natEni, vpcAcl])
    const live = await liveIds()
    expect([...planned].filter((id) => live.has(id) && !motoKeeps.has(id))).toEqual([])
    expect(await defaultVpcIds()).toEqual(defaults)
  })
})

/** A subnet of the default VPC, for resources that need one but are not about VPCs. */
async function defaultSubnet(): Promise<{subnet: string; vpc: string}> {
  const found = (await ec2.describeSubnets({Filters: [{Name: 'default-for-az', Values: ['true']}, {Name: 'availability-zone', Values: [`${REGION}a`]}]})).Subnets![0]!
  return {subnet: found.SubnetId!, vpc: found.VpcId!}
}

async function launchInstance(subnet: string): Promise<string> {
  const out = await ec2.runInstances({ImageId: 'ami-12345678', InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, SubnetId: subnet, TagSpecifications: tagged('instance', 'sbx-app')})
  return out.Instances![0]!.InstanceId!
}

async function freshVpc(): Promise<string> {
  return (await ec2.createVpc({CidrBlock: '10.50.0.0/16', TagSpecifications: tagged('vpc', 'sbx-vpc')})).Vpc!.VpcId!
}

async function freshSubnet(vpc: string): Promise<string> {
  return (await ec2.createSubnet({VpcId: vpc, CidrBlock: '10.50.1.0/24', TagSpecifications: tagged('subnet', 'sbx-subnet')})).Subnet!.SubnetId!
}

async function instanceState(id: string): Promise<string | undefined> {
  return (await ec2.describeInstances({InstanceIds: [id]})).Reservations![0]!.Instances![0]!.State?.Name
}

/** The network ACL a subnet is associated with. */
async function aclOf(subnet: string): Promise<{id: string; isDefault: boolean}> {
  const acl = (await ec2.describeNetworkAcls({Filters: [{Name: 'association.subnet-id', Values: [subnet]}]})).NetworkAcls!.find((a) => a.Associations!.some((x) => x.SubnetId === subnet))!
  return {id: acl.NetworkAclId!, isDefault: acl.IsDefault === true}
}

/** One resource of a type, created with what it is attached to; `untouched` checks what must survive its deletion. */
interface Case {
  type: string
  create(): Promise<{id: string; untouched?: () => Promise<void>}>
}

const cases: Case[] = [
  {
    type: 'AWS::EC2::Instance',
    async create() {
      const {subnet} = await defaultSubnet()
      const id = await launchInstance(subnet)
      return {id, untouched: async () => expect(await instanceState(id)).toBe('terminated')}
    },
  },
  {
    type: 'AWS::EC2::Volume',
    create: async () => ({id: (await ec2.createVolume({AvailabilityZone: `${REGION}a`, Size: 1, TagSpecifications: tagged('volume', 'sbx-data')})).VolumeId!}),
  },
  {
    type: 'AWS::EC2::Snapshot',
    async create() {
      const volume = (await ec2.createVolume({AvailabilityZone: `${REGION}a`, Size: 1})).VolumeId!
      const id = (await ec2.createSnapshot({VolumeId: volume, TagSpecifications: tagged('snapshot', 'sbx-backup')})).SnapshotId!
      return {id, untouched: async () => expect((await ec2.describeVolumes({VolumeIds: [volume]})).Volumes).toHaveLength(1)}
    },
  },
  {
    type: 'AWS::EC2::EIP',
    async create() {
      const {subnet} = await defaultSubnet()
      const eni = (await ec2.createNetworkInterface({SubnetId: subnet})).NetworkInterface!.NetworkInterfaceId!
      const id = (await ec2.allocateAddress({Domain: 'vpc', TagSpecifications: tagged('elastic-ip', 'sbx-eip')})).AllocationId!
      await ec2.associateAddress({AllocationId: id, NetworkInterfaceId: eni})
      return {id, untouched: async () => expect((await ec2.describeNetworkInterfaces({NetworkInterfaceIds: [eni]})).NetworkInterfaces![0]!.Association).toBeUndefined()}
    },
  },
  {
    // Attached to an instance that stays (which the planner would not allow): detached, then deleted.
    type: 'AWS::EC2::NetworkInterface',
    async create() {
      const {subnet} = await defaultSubnet()
      const instance = await launchInstance(subnet)
      const id = (await ec2.createNetworkInterface({SubnetId: subnet, TagSpecifications: tagged('network-interface', 'sbx-eni')})).NetworkInterface!.NetworkInterfaceId!
      await ec2.attachNetworkInterface({NetworkInterfaceId: id, InstanceId: instance, DeviceIndex: 1})
      return {id, untouched: async () => expect(await instanceState(instance)).toBe('running')}
    },
  },
  {
    type: 'AWS::EC2::InternetGateway',
    async create() {
      const vpc = await freshVpc()
      const id = (await ec2.createInternetGateway({TagSpecifications: tagged('internet-gateway', 'sbx-igw')})).InternetGateway!.InternetGatewayId!
      await ec2.attachInternetGateway({InternetGatewayId: id, VpcId: vpc})
      return {id, untouched: async () => expect((await ec2.describeVpcs({VpcIds: [vpc]})).Vpcs).toHaveLength(1)}
    },
  },
  {
    type: 'AWS::EC2::RouteTable',
    async create() {
      const vpc = await freshVpc()
      const subnet = await freshSubnet(vpc)
      const igw = (await ec2.createInternetGateway({})).InternetGateway!.InternetGatewayId!
      await ec2.attachInternetGateway({InternetGatewayId: igw, VpcId: vpc})
      const id = (await ec2.createRouteTable({VpcId: vpc, TagSpecifications: tagged('route-table', 'sbx-rtb')})).RouteTable!.RouteTableId!
      await ec2.createRoute({RouteTableId: id, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw})
      await ec2.associateRouteTable({RouteTableId: id, SubnetId: subnet})
      return {
        id,
        untouched: async () => {
          expect((await ec2.describeSubnets({SubnetIds: [subnet]})).Subnets).toHaveLength(1)
          expect((await ec2.describeInternetGateways({InternetGatewayIds: [igw]})).InternetGateways).toHaveLength(1)
        },
      }
    },
  },
  {
    // Its subnet stays: moved back to the VPC's default ACL.
    type: 'AWS::EC2::NetworkAcl',
    async create() {
      const vpc = await freshVpc()
      const subnet = await freshSubnet(vpc)
      const id = (await ec2.createNetworkAcl({VpcId: vpc, TagSpecifications: tagged('network-acl', 'sbx-acl')})).NetworkAcl!.NetworkAclId!
      const current = (await ec2.describeNetworkAcls({Filters: [{Name: 'association.subnet-id', Values: [subnet]}]})).NetworkAcls![0]!
      await ec2.replaceNetworkAclAssociation({AssociationId: current.Associations!.find((a) => a.SubnetId === subnet)!.NetworkAclAssociationId!, NetworkAclId: id})
      expect((await aclOf(subnet)).id).toBe(id)
      return {id, untouched: async () => expect((await aclOf(subnet)).isDefault).toBe(true)}
    },
  },
  {
    type: 'AWS::EC2::SecurityGroup',
    async create() {
      const vpc = await freshVpc()
      return {id: (await ec2.createSecurityGroup({GroupName: 'sbx-web', Description: 'web', VpcId: vpc, TagSpecifications: tagged('security-group', 'sbx-web')})).GroupId!}
    },
  },
  {
    type: 'AWS::EC2::Subnet',
    async create() {
      const vpc = await freshVpc()
      return {id: await freshSubnet(vpc), untouched: async () => expect((await ec2.describeVpcs({VpcIds: [vpc]})).Vpcs).toHaveLength(1)}
    },
  },
  {type: 'AWS::EC2::VPC', create: async () => ({id: await freshVpc()})},
  {
    // Its Elastic IP is released by an item of its own.
    type: 'AWS::EC2::NatGateway',
    async create() {
      const vpc = await freshVpc()
      const subnet = await freshSubnet(vpc)
      const eip = (await ec2.allocateAddress({Domain: 'vpc'})).AllocationId!
      const id = (await ec2.createNatGateway({SubnetId: subnet, AllocationId: eip, TagSpecifications: tagged('natgateway', 'sbx-nat')})).NatGateway!.NatGatewayId!
      return {id, untouched: async () => expect((await ec2.describeAddresses({AllocationIds: [eip]})).Addresses).toHaveLength(1)}
    },
  },
  {
    type: 'AWS::EC2::VPCEndpoint',
    async create() {
      const vpc = await freshVpc()
      const table = (await ec2.createRouteTable({VpcId: vpc})).RouteTable!.RouteTableId!
      const endpoint = await ec2.createVpcEndpoint({
        VpcId: vpc,
        ServiceName: `com.amazonaws.${REGION}.s3`,
        VpcEndpointType: 'Gateway',
        RouteTableIds: [table],
        TagSpecifications: tagged('vpc-endpoint', 'sbx-vpce'),
      })
      const routes = async () => (await ec2.describeRouteTables({RouteTableIds: [table]})).RouteTables![0]!.Routes!.map((r) => r.GatewayId)
      expect(await routes()).toContain(endpoint.VpcEndpoint!.VpcEndpointId)
      // The endpoint's route goes with it; the table stays.
      return {id: endpoint.VpcEndpoint!.VpcEndpointId!, untouched: async () => expect(await routes()).toEqual(['local'])}
    },
  },
  {
    type: 'AWS::EC2::FlowLog',
    async create() {
      const vpc = await freshVpc()
      return {id: await createFlowLog(vpc), untouched: async () => expect((await ec2.describeVpcs({VpcIds: [vpc]})).Vpcs).toHaveLength(1)}
    },
  },
  {
    type: 'AWS::EC2::KeyPair',
    async create() {
      const other = (await ec2.createKeyPair({KeyName: 'sbx-other'})).KeyPairId!
      const id = (await ec2.createKeyPair({KeyName: 'sbx-key', TagSpecifications: tagged('key-pair', 'sbx-key')})).KeyPairId!
      return {id, untouched: async () => expect((await ec2.describeKeyPairs({})).KeyPairs!.map((k) => k.KeyPairId)).toEqual([other])}
    },
  },
  {
    type: 'AWS::EC2::LaunchTemplate',
    async create() {
      const template = await ec2.createLaunchTemplate({
        LaunchTemplateName: 'sbx-lt',
        LaunchTemplateData: {InstanceType: 't3.micro', ImageId: 'ami-12345678'},
        TagSpecifications: tagged('launch-template', 'sbx-lt'),
      })
      return {id: template.LaunchTemplate!.LaunchTemplateId!}
    },
  },
]

describe('each EC2 deleter on its own', () => {
  it.each(cases.map((c) => [c.type, c] as const))('%s: re-read with its tags, deleted, then gone', async (type, c) => {
    const {id, untouched} = await c.create()
    const resource = await collectOne(type, id, ctx.collect)
    const deleter = specOf(type)!.deleter!
    const item = planItemOf(resource)
    expect((await deleter.current(ctx.delete, item))?.tags).toMatchObject({env: 'sbx'})

    const result = await deleteResource(resource, ctx.delete)
    expect(result.status, JSON.stringify(result.steps)).toBe('deleted')
    expect(await deleter.current(ctx.delete, item)).toBeUndefined()
    expect((await liveIds()).has(id)).toBe(false)
    await untouched?.()

    // Run again, as a resumed or repeated plan would: nothing left to do.
    const again = await runPlanItem(item, ctx.delete)
    expect(again.status, JSON.stringify(again.steps)).toBe('gone')
  })
})

describe('EC2 deleters where AWS says no', () => {
  it('leaves an instance with termination protection running, saying why', async () => {
    const {subnet} = await defaultSubnet()
    const id = await launchInstance(subnet)
    // moto ignores RunInstances' DisableApiTermination; the attribute is set afterwards.
    await ec2.modifyInstanceAttribute({InstanceId: id, DisableApiTermination: {Value: true}})
    const result = await runPlanItem(planItemOf(await collectOne('AWS::EC2::Instance', id, ctx.collect)), ctx.delete)
    expect(result.status).toBe('failed')
    expect(result.error).toMatch(/^terminate-instance failed: OperationNotPermitted: i-\w+ has termination protection on \(DisableApiTermination\), which awsinv does not turn off/)
    // The refused call's request id stays in the record, for the audit log (and a support case).
    expect(result.steps[0]?.requestIds).toEqual([expect.any(String)])
    expect(await instanceState(id)).toBe('running')
  })

  it('holds a volume attached to an instance that stays, naming the instance', async () => {
    const {subnet} = await defaultSubnet()
    const instance = await launchInstance(subnet)
    const volume = (await ec2.createVolume({AvailabilityZone: `${REGION}a`, Size: 1})).VolumeId!
    await ec2.attachVolume({InstanceId: instance, VolumeId: volume, Device: '/dev/sdg'})
    const result = await runPlanItem(planItemOf(await collectOne('AWS::EC2::Volume', volume, ctx.collect)), ctx.delete)
    expect(result).toMatchObject({status: 'failed', blockedBy: [instance]})
    expect(result.error).toBe(`delete-volume blocked by ${instance} after 4 retries: ${volume} is still attached to ${instance}`)
    expect((await ec2.describeVolumes({VolumeIds: [volume]})).Volumes).toHaveLength(1)
  })

  it('fails a snapshot an AMI is registered from at once, naming the AMI: retrying would not help', async () => {
    // The emulator gives every AMI a snapshot of its own, which it then refuses to delete (as AWS does).
    const ami = (await ec2.registerImage({Name: 'sbx-image', RootDeviceName: '/dev/sda1'})).ImageId!
    const snapshot = (await ec2.describeSnapshots({OwnerIds: ['self']})).Snapshots!.find((s) => s.Description?.includes(ami))!.SnapshotId!
    const result = await runPlanItem(planItemOf(await collectOne('AWS::EC2::Snapshot', snapshot, ctx.collect)), ctx.delete)
    expect(result.status).toBe('failed')
    expect(result.steps.map((s) => [s.action, s.attempts, s.requestIds.length])).toEqual([['delete-snapshot', 1, 1]])
    expect(result.error).toBe(`delete-snapshot failed: InvalidSnapshot.InUse: ${ami} is registered from snapshot ${snapshot}, so AWS keeps the snapshot; deregister the AMI (awsinv does not delete AMIs), then run again`)
    expect((await ec2.describeSnapshots({SnapshotIds: [snapshot]})).Snapshots).toHaveLength(1)
  })
})

describe('EC2 deleters and what changed since planning', () => {
  it('revokes exactly the grants naming the other group, leaving the rest of the rule', async () => {
    const vpc = await freshVpc()
    const web = (await ec2.createSecurityGroup({GroupName: 'sbx-web', Description: 'web', VpcId: vpc})).GroupId!
    const db = (await ec2.createSecurityGroup({GroupName: 'sbx-db', Description: 'db', VpcId: vpc})).GroupId!
    await ec2.authorizeSecurityGroupIngress({
      GroupId: web,
      IpPermissions: [{IpProtocol: 'tcp', FromPort: 443, ToPort: 443, UserIdGroupPairs: [{GroupId: db, Description: 'from db'}], IpRanges: [{CidrIp: '10.0.0.0/8'}]}],
    })
    await ec2.authorizeSecurityGroupEgress({GroupId: web, IpPermissions: [{IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{GroupId: db}]}]})
    const [holder, target] = [await collectOne('AWS::EC2::SecurityGroup', web, ctx.collect), await collectOne('AWS::EC2::SecurityGroup', db, ctx.collect)]
    const deleter = specOf('AWS::EC2::SecurityGroup')!.deleter!
    const prepare: PlanItem = {...planItemOf(holder), key: `${holder.arn}#prepare`, kind: 'prepare', steps: deleter.releaseSteps!(holder, target)}
    const options = {signal: ctx.delete.signal, baseDelayMs: 200, maxRetries: 4}

    expect(await runItemSteps(deleter, ctx.delete, prepare, options)).toMatchObject({status: 'deleted', steps: [{status: 'done', detail: 'revoked 2 of 2 rules'}]})
    const after = (await ec2.describeSecurityGroups({GroupIds: [web]})).SecurityGroups![0]!
    expect(after.IpPermissions).toEqual([expect.objectContaining({FromPort: 443, IpRanges: [{CidrIp: '10.0.0.0/8'}], UserIdGroupPairs: []})])
    expect(after.IpPermissionsEgress!.flatMap((p) => p.UserIdGroupPairs ?? [])).toEqual([])
    // The group itself stays, and a second run finds nothing to revoke.
    expect(await runItemSteps(deleter, ctx.delete, prepare, options)).toMatchObject({status: 'gone'})
  })

  it('deletes an internet gateway someone detached after planning', async () => {
    const vpc = await freshVpc()
    const igw = (await ec2.createInternetGateway({})).InternetGateway!.InternetGatewayId!
    await ec2.attachInternetGateway({InternetGatewayId: igw, VpcId: vpc})
    const resource = await collectOne('AWS::EC2::InternetGateway', igw, ctx.collect)
    await ec2.detachInternetGateway({InternetGatewayId: igw, VpcId: vpc})
    const result = await deleteResource(resource, ctx.delete)
    expect(result.steps.map((s) => [s.action, s.status])).toEqual([
      ['detach-internet-gateway', 'gone'],
      ['delete-internet-gateway', 'done'],
    ])
  })
})
