import {EC2} from '@aws-sdk/client-ec2'
import {IAM} from '@aws-sdk/client-iam'
import {KMS} from '@aws-sdk/client-kms'
import {Lambda} from '@aws-sdk/client-lambda'
import {SNS} from '@aws-sdk/client-sns'
import {SQS} from '@aws-sdk/client-sqs'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {hashPlan} from '../../src/cleanup/plan.js'
import type {CleanupResult} from '../../src/cleanup/run-plan.js'
import type {CleanupPlan, PlanItem} from '../../src/cleanup/types.js'
import {expectRefused, runCli, runCliJson} from '../support/cli.js'
import {type Emulator, startEmulator} from '../support/emulator.js'
import {seedCredentials, zipOneFile} from '../support/seed.js'

/**
 * Cleanup safety end to end against the emulator: a baseline taken with tag filters still sees what they
 * leave out (an untagged queue, function and instance keep the team=a key, role and network they use); a
 * saved plan edited by hand and hashed again cannot delete what is always protected, nor another resource
 * than the one an item names, nor get past max_deletions with a forged summary; an empty --type or
 * --region is refused. Every outcome is checked by asking the emulator.
 */
const REGION = 'us-east-1'
const ACCOUNT = '123456789012'
const trust = JSON.stringify({Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'lambda.amazonaws.com'}, Action: 'sts:AssumeRole'}]})
const teamA = [{Key: 'team', Value: 'a'}]

describe('cleanup safety', () => {
  let emulator: Emulator
  let storage: string
  let work: string
  let ec2: EC2
  let iam: IAM
  let kms: KMS
  let sns: SNS
  let sqs: SQS
  const ids: Record<string, string> = {}
  const base = () => ['--storage-path', storage, '--endpoint-url', emulator.url, '--max-attempts', '2']
  const cli = (args: string[]) => runCli([...args, ...base()])
  const cliJson = <T>(args: string[]) => runCliJson<T>([...args, ...base()])
  const items = (plan: CleanupPlan): PlanItem[] => plan.waves.flatMap((w) => w.items)
  const skipOf = (plan: CleanupPlan, id: string) => plan.skipped.find((s) => s.id === id)?.reason

  /** Whether each seeded resource exists now, as the emulator says. */
  async function existing(): Promise<Record<string, boolean>> {
    const exists = async (read: () => Promise<unknown>) =>
      read().then(
        () => true,
        () => false,
      )
    const key = await kms.describeKey({KeyId: ids.key})
    const topics = (await sns.listTopics({})).Topics!.map((t) => t.TopicArn!)
    return {
      key: key.KeyMetadata?.KeyState === 'Enabled',
      role: await exists(() => iam.getRole({RoleName: 'team-a-role'})),
      vpc: ((await ec2.describeVpcs({VpcIds: [ids.vpc!]})).Vpcs ?? []).length === 1,
      subnet: await exists(() => ec2.describeSubnets({SubnetIds: [ids.subnet!]})),
      sg: await exists(() => ec2.describeSecurityGroups({GroupIds: [ids.sg!]})),
      topic: topics.some((t) => t.endsWith(':team-a-free')),
      emptyVpc: ((await ec2.describeVpcs({Filters: [{Name: 'vpc-id', Values: [ids.emptyVpc!]}]})).Vpcs ?? []).length === 1,
    }
  }

  beforeAll(async () => {
    emulator = await startEmulator()
    const config = {endpoint: emulator.url, region: REGION, credentials: seedCredentials, maxAttempts: 2}
    ec2 = new EC2(config)
    iam = new IAM(config)
    kms = new KMS(config)
    sns = new SNS(config)
    sqs = new SQS(config)
    storage = mkdtempSync(join(tmpdir(), 'awsinv-cleanup-safety-'))
    work = mkdtempSync(join(tmpdir(), 'awsinv-cleanup-safety-work-'))
    await cliJson(['snapshot', 'create', 'base9', '--regions', REGION, '--include-tags', 'team=a'])

    // Created since, tagged team=a: a KMS key, a role, a VPC with a subnet and a security group, and a topic
    // nothing uses. Untagged, so left out by the filters: a queue encrypted with the key, a function running
    // as the role, an instance in the subnet and group.
    ids.key = (await kms.createKey({Tags: [{TagKey: 'team', TagValue: 'a'}]})).KeyMetadata!.KeyId!
    await sqs.createQueue({QueueName: 'untagged-queue', Attributes: {KmsMasterKeyId: ids.key}})
    const role = await iam.createRole({RoleName: 'team-a-role', AssumeRolePolicyDocument: trust, Tags: teamA})
    await new Lambda(config).createFunction({
      FunctionName: 'untagged-fn',
      Runtime: 'python3.12',
      Role: role.Role!.Arn,
      Handler: 'index.handler',
      Code: {ZipFile: zipOneFile('index.py', 'def handler(event, context):\n    return 1\n')},
    })
    ids.vpc = (await ec2.createVpc({CidrBlock: '10.9.0.0/16', TagSpecifications: [{ResourceType: 'vpc', Tags: teamA}]})).Vpc!.VpcId!
    ids.subnet = (await ec2.createSubnet({VpcId: ids.vpc, CidrBlock: '10.9.1.0/24', TagSpecifications: [{ResourceType: 'subnet', Tags: teamA}]})).Subnet!.SubnetId!
    ids.sg = (await ec2.createSecurityGroup({GroupName: 'team-a-sg', Description: 'team a', VpcId: ids.vpc, TagSpecifications: [{ResourceType: 'security-group', Tags: teamA}]})).GroupId!
    await ec2.runInstances({ImageId: 'ami-12345678', InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, SubnetId: ids.subnet, SecurityGroupIds: [ids.sg]})
    await sns.createTopic({Name: 'team-a-free', Tags: [{Key: 'team', Value: 'a'}]})
    // Nothing uses it: it goes, with the untagged default security group, route table and ACL AWS made with it.
    ids.emptyVpc = (await ec2.createVpc({CidrBlock: '10.8.0.0/16', TagSpecifications: [{ResourceType: 'vpc', Tags: teamA}]})).Vpc!.VpcId!
  })

  afterAll(async () => {
    for (const client of [ec2, iam, kms, sns, sqs]) client?.destroy()
    await emulator?.stop()
  })

  it('keeps what an untagged queue, function and instance use when the baseline was taken with tag filters, and deletes the rest', async () => {
    const preview = await runCli(['cleanup', 'preview', 'base9', '--no-save', '--json', ...base()])
    expect(preview.code, preview.stderr).toBe(0)
    expect(preview.stderr).toContain('only the resources they select are candidates, but the current state is collected without them, so what they leave out stays and keeps what it uses.')
    const {plan} = JSON.parse(preview.stdout) as CleanupResult
    const left = 'left out by the tag filters of snapshot base9 (include team=a)'
    expect(skipOf(plan, ids.key!)).toMatchObject({kind: 'in-use', explanation: expect.stringMatching(new RegExp(`^AWS::SQS::Queue .*untagged-queue.* uses it and stays: ${left.replaceAll(/[()]/g, '\\$&')}$`))})
    expect(skipOf(plan, 'team-a-role')).toMatchObject({kind: 'in-use', explanation: expect.stringMatching(/^AWS::Lambda::Function untagged-fn.* uses it and stays: left out by the tag filters/)})
    expect(skipOf(plan, ids.subnet!)?.kind).toBe('in-use')
    expect(skipOf(plan, ids.sg!)?.kind).toBe('in-use')
    expect(skipOf(plan, ids.vpc!)?.kind).toBe('in-use')
    // Nothing the filters leave out is a candidate, or even listed.
    expect(items(plan).map((i) => i.id).sort()).toEqual([`arn:aws:sns:${REGION}:${ACCOUNT}:team-a-free`, ids.emptyVpc].sort())
    expect(items(plan).find((i) => i.id === ids.emptyVpc)?.includes.map((i) => i.type).sort()).toEqual(['AWS::EC2::NetworkAcl', 'AWS::EC2::RouteTable', 'AWS::EC2::SecurityGroup'])
    expect([...plan.skipped, ...plan.protected].some((r) => /untagged|^i-/.test(r.name))).toBe(false)

    const run = await cliJson<CleanupResult>(['cleanup', 'execute', 'base9', '--confirm', '--yes'])
    expect(run.execution?.summary).toMatchObject({items: 2, deleted: 2, failed: 0})
    expect(await existing()).toEqual({key: true, role: true, vpc: true, subnet: true, sg: true, topic: false, emptyVpc: false})
  })

  it('keeps the same for a purge limited to a snapshot taken with tag filters', async () => {
    await cliJson(['snapshot', 'create', 'team-a-now', '--regions', REGION, '--include-tags', 'team=a'])
    const {plan} = await cliJson<CleanupResult>(['cleanup', 'purge', '--preview', '--from-snapshot', 'team-a-now', '--no-save'])
    for (const id of [ids.key!, 'team-a-role', ids.subnet!, ids.sg!, ids.vpc!]) expect(skipOf(plan, id)?.kind, id).toBe('in-use')
    expect(items(plan).filter((i) => i.kind === 'delete' && [ids.key, 'team-a-role', ids.subnet, ids.sg, ids.vpc].includes(i.id))).toEqual([])
  })

  describe('a saved plan edited by hand and hashed again', () => {
    let plan: CleanupPlan
    const defaults: Record<string, string> = {}

    beforeAll(async () => {
      const vpc = (await ec2.describeVpcs({Filters: [{Name: 'is-default', Values: ['true']}]})).Vpcs![0]!
      defaults.vpc = vpc.VpcId!
      // The emulator's default VPC has no gateway, as AWS's has: attach one.
      defaults.igw = (await ec2.createInternetGateway({})).InternetGateway!.InternetGatewayId!
      await ec2.attachInternetGateway({InternetGatewayId: defaults.igw, VpcId: defaults.vpc})
      defaults.subnet = (await ec2.describeSubnets({Filters: [{Name: 'vpc-id', Values: [vpc.VpcId!]}]})).Subnets![0]!.SubnetId!
      await iam.createServiceLinkedRole({AWSServiceName: 'autoscaling.amazonaws.com'})
      // A fresh subnet and queue to plan: the edits below make their items act on what must stay.
      ids.spare = (await ec2.createSubnet({VpcId: ids.vpc, CidrBlock: '10.9.2.0/24'})).Subnet!.SubnetId!
      await sqs.createQueue({QueueName: 'spare-queue'})
      await cliJson(['snapshot', 'create', 'all', '--regions', REGION])
      plan = (await cliJson<CleanupResult>(['cleanup', 'purge', '--preview', '--region', REGION, '--type', 'AWS::EC2::Subnet', '--type', 'sqs', '--no-save'])).plan
      expect(items(plan).map((i) => i.id)).toContain(ids.spare)
    })

    /** Writes the plan changed by `change`, with its hash and id made again as anyone can. */
    function forged(name: string, change: (p: CleanupPlan) => void): string {
      const copy = structuredClone(plan)
      copy.createdAt = new Date().toISOString()
      change(copy)
      const hash = hashPlan(copy)
      const file = join(work, `${name}.json`)
      writeFileSync(file, JSON.stringify({...copy, hash, id: `plan-${hash.slice(0, 12)}`}))
      return file
    }

    const subnetItem = (p: CleanupPlan) => items(p).find((i) => i.id === ids.spare)!
    const subnetExists = async (id: string) => ((await ec2.describeSubnets({Filters: [{Name: 'subnet-id', Values: [id]}]})).Subnets ?? []).length === 1

    it('refuses, in one line and deleting nothing, an item whose step names another resource', async () => {
      const file = forged('other-subnet', (p) => (subnetItem(p).steps[0]!.params.subnetId = defaults.subnet!))
      const result = await cli(['cleanup', 'execute', '--plan', file, '--confirm', '--yes'])
      expectRefused(result, new RegExp(`item arn:aws:ec2:${REGION}:${ACCOUNT}:subnet/${ids.spare}: step 1 \\(delete-subnet\\) names subnetId "${defaults.subnet}", not the item's own "${ids.spare}", so it would act on a resource other than the one it names: nothing was deleted`), 'foreign params')
      expect(result.code).toBe(1)
      expect([await subnetExists(defaults.subnet!), await subnetExists(ids.spare!)]).toEqual([true, true])
    })

    it('refuses an item carrying the id (and steps) of another resource than its ARN, name and key, deleting nothing', async () => {
      const victim = (await sqs.createQueue({QueueName: 'victim-queue'})).QueueUrl!
      const spare = items(plan).find((i) => i.name === 'spare-queue')!
      const file = forged('other-queue', (p) => {
        const item = items(p).find((i) => i.name === 'spare-queue')!
        item.id = victim
        for (const step of item.steps) step.params.queueUrl = victim
      })
      const result = await cli(['cleanup', 'execute', '--plan', file, '--confirm', '--yes'])
      expectRefused(result, new RegExp(`item ${spare.key}: its id "${victim}" is not the resource its ARN ${spare.arn} names, so it would act on a resource other than the one it names: nothing was deleted`), 'swapped id')
      const queues = (await sqs.listQueues({})).QueueUrls ?? []
      expect([queues.includes(victim), queues.includes(spare.id)]).toEqual([true, true])
    })

    it('skips the default VPC’s internet gateway and a service-linked role named by the items, re-reading what protects them', async () => {
      const file = forged('protected', (p) => {
        const [subnet] = [subnetItem(p)]
        const igwArn = `arn:aws:ec2:${REGION}:${ACCOUNT}:internet-gateway/${defaults.igw}`
        const roleName = 'AWSServiceRoleForAutoScaling'
        // The plan's own words claim nothing: no attachment, an innocent ARN for the role.
        const igw: PlanItem = {...subnet, key: igwArn, arn: igwArn, type: 'AWS::EC2::InternetGateway', id: defaults.igw!, name: defaults.igw!, uniqueId: null, tags: {}, after: [], includes: [], steps: [{action: 'delete-internet-gateway', description: 'x', params: {internetGatewayId: defaults.igw!}}]}
        const roleArn = `arn:aws:iam::${ACCOUNT}:role/${roleName}`
        const role: PlanItem = {...igw, key: roleArn, arn: roleArn, type: 'AWS::IAM::Role', id: roleName, name: roleName, region: 'global', steps: [{action: 'delete-role', description: 'x', params: {roleName}}]}
        // Only these two: the plan's own items stay for the next test.
        p.waves = [{index: 0, items: [igw, role]}]
        p.summary = {...p.summary, deletions: 2, included: 0, preparations: 0, waves: 1}
      })
      const result = await cli(['cleanup', 'execute', '--plan', file, '--confirm', '--yes', '--json'])
      expect(result.code, result.stderr).toBe(3)
      const run = (JSON.parse(result.stdout) as CleanupResult).execution!
      expect(run.items.find((i) => i.id === defaults.igw)).toMatchObject({result: 'skipped', protectedBy: [{kind: 'default-vpc', explanation: `the internet gateway of the default VPC ${defaults.vpc}`}]})
      expect(run.items.find((i) => i.id === 'AWSServiceRoleForAutoScaling')).toMatchObject({result: 'skipped', protectedBy: [{kind: 'service-linked'}]})
      expect((await ec2.describeInternetGateways({InternetGatewayIds: [defaults.igw!]})).InternetGateways![0]!.Attachments?.[0]?.VpcId).toBe(defaults.vpc)
      expect((await iam.getRole({RoleName: 'AWSServiceRoleForAutoScaling'})).Role?.RoleName).toBe('AWSServiceRoleForAutoScaling')
    })

    it('counts max_deletions from the items, and refuses a summary that does not match them', async () => {
      const rules = join(work, 'one.yaml')
      writeFileSync(rules, 'max_deletions: 1\n')
      const count = items(plan).filter((i) => i.kind === 'delete').length
      expect(count).toBeGreaterThan(1)
      const file = forged('summary', (p) => (p.summary.deletions = 1))
      expectRefused(await cli(['cleanup', 'execute', '--plan', file, '--confirm', '--yes']), new RegExp(`is malformed: its summary says 1 deletions, but its items make ${count}\\.$`), 'forged summary')
      const honest = forged('honest', () => {})
      expectRefused(await cli(['cleanup', 'execute', '--plan', honest, '--confirm', '--yes', '--rules', rules]), new RegExp(`deletes ${count} resources, more than max_deletions 1`), 'max_deletions')
      expect(await subnetExists(ids.spare!)).toBe(true)
    })
  })

  describe('two security groups whose rules name each other', () => {
    const groups: Record<string, string> = {}
    const rulesOf = async (id: string) => (await ec2.describeSecurityGroups({GroupIds: [id]})).SecurityGroups![0]!.IpPermissions!.flatMap((p) => p.UserIdGroupPairs!.map((g) => g.GroupId))
    const exists = async (id: string) => ((await ec2.describeSecurityGroups({Filters: [{Name: 'group-id', Values: [id]}]})).SecurityGroups ?? []).length === 1

    beforeAll(async () => {
      await cliJson(['snapshot', 'create', 'before-cycle', '--regions', REGION])
      const vpc = (await ec2.createVpc({CidrBlock: '10.7.0.0/16'})).Vpc!.VpcId!
      groups.a = (await ec2.createSecurityGroup({GroupName: 'cycle-a', Description: 'a', VpcId: vpc})).GroupId!
      groups.b = (await ec2.createSecurityGroup({GroupName: 'cycle-b', Description: 'b', VpcId: vpc})).GroupId!
      const naming = (other: string, port: number) => [{IpProtocol: 'tcp', FromPort: port, ToPort: port, UserIdGroupPairs: [{GroupId: other}]}]
      await ec2.authorizeSecurityGroupIngress({GroupId: groups.a, IpPermissions: naming(groups.b, 80)})
      await ec2.authorizeSecurityGroupIngress({GroupId: groups.b, IpPermissions: naming(groups.a, 22)})
    })

    const previewCycle = async (name: string) => {
      const file = join(work, name)
      const {plan} = await cliJson<CleanupResult>(['cleanup', 'preview', 'before-cycle', '--type', 'AWS::EC2::SecurityGroup', '--region', REGION, '--no-save', '--out', file])
      return {file, plan}
    }

    it('revokes neither group’s rule when one of them became protected after the plan was made', async () => {
      const {file, plan} = await previewCycle('cycle-kept.json')
      const prepares = items(plan).filter((i) => i.kind === 'prepare')
      expect(prepares.map((i) => i.id).sort()).toEqual([groups.a, groups.b].sort())
      for (const prepare of prepares) expect(prepare.cycle?.map((k) => k.split('/').at(-1)).sort()).toEqual([groups.a, groups.b].sort())

      await ec2.createTags({Resources: [groups.b!], Tags: [{Key: 'keep', Value: 'yes'}]})
      const result = await cli(['cleanup', 'execute', '--plan', file, '--confirm', '--yes', '--protect-tag', 'keep=*', '--json'])
      expect(result.code, result.stderr).toBe(3)
      const run = (JSON.parse(result.stdout) as CleanupResult).execution!
      expect(run.items.map((i) => [i.kind, i.id === groups.a ? 'a' : 'b', i.result]).sort()).toEqual([
        ['delete', 'a', 'skipped'],
        ['delete', 'b', 'skipped'],
        ['prepare', 'a', 'skipped'],
        ['prepare', 'b', 'skipped'],
      ])
      expect(run.items.find((i) => i.kind === 'prepare' && i.id === groups.a)?.reason).toMatch(
        new RegExp(`^not run: AWS::EC2::SecurityGroup cycle-b \\(${groups.b}\\), of the dependency cycle it breaks, would not be deleted \\(skipped: protected now: tagged keep=yes, matching keep=\\* \\(--protect-tag\\)\\), so its references are left as they are$`),
      )
      expect(run.summary).toMatchObject({items: 4, deleted: 0, prepared: 0, skipped: 4})
      // Both groups stay as they were, each still naming the other.
      expect([await rulesOf(groups.a!), await rulesOf(groups.b!)]).toEqual([[groups.b], [groups.a]])
    })

    it('revokes both rules, then deletes both groups, when nothing protects them', async () => {
      await ec2.deleteTags({Resources: [groups.b!], Tags: [{Key: 'keep'}]})
      const {file} = await previewCycle('cycle-free.json')
      const run = (await cliJson<CleanupResult>(['cleanup', 'execute', '--plan', file, '--confirm', '--yes'])).execution!
      expect(run.items.map((i) => [i.kind, i.result]).sort()).toEqual([
        ['delete', 'deleted'],
        ['delete', 'deleted'],
        ['prepare', 'prepared'],
        ['prepare', 'prepared'],
      ])
      expect(run.summary).toMatchObject({items: 4, deleted: 2, prepared: 2, skipped: 0, failed: 0})
      expect([await exists(groups.a!), await exists(groups.b!)]).toEqual([false, false])
    })
  })

  it('refuses an empty --type or --region as a usage error, before collecting anything', async () => {
    for (const args of [['--type', ''], ['--type', ','], ['--region', ''], ['--region', ',']]) {
      const result = await cli(['cleanup', 'purge', '--preview', ...args])
      expectRefused(result, new RegExp(`^Error: ${args[0]} "${args[1]}" is empty: give one or more `), args.join(' '))
      expect(result.code, args.join(' ')).toBe(2)
    }

    const confirmed = await cli(['cleanup', 'purge', '--confirm', '--yes', '--type', ''])
    expect(confirmed.code).toBe(2)
    expect(await existing()).toMatchObject({key: true, role: true, vpc: true, subnet: true})
  })
})
