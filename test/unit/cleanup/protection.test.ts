import {describe, expect, it} from 'vitest'

import {buildProtection, iamPathOf, intrinsicProtection, parseCallerArn, recheckProtection} from '../../../src/cleanup/protection.js'
import {emptyRules} from '../../../src/cleanup/rules.js'
import type {CallerIdentity, ProtectionRules} from '../../../src/cleanup/types.js'
import type {Resource} from '../../../src/resources/types.js'
import {specOf} from '../../../src/resources/registry.js'
import {ACCOUNT, ADMIN, CALLER_USER, NOW, resourcesOf, specsWithDeleters} from '../../support/cleanup.js'
import {currentItems} from '../../support/cleanup-sandbox.js'
import {collected} from '../../support/scan.js'
import {audit, managementAccount, organizationTrail} from '../../support/trail-items.js'

type Item = Record<string, unknown>

/** A captured emulator item of `type` whose `field` is `value`, optionally changed (a copy). */
function captured(type: string, field: string, value: unknown, changes: Item = {}): Item {
  const found = (currentItems[type] as Item[]).find((i) => i[field] === value)
  if (found === undefined) throw new Error(`no captured ${type} with ${field}=${String(value)}`)
  return {...structuredClone(found), ...changes}
}

async function judge(options: {caller?: CallerIdentity; rules?: ProtectionRules; current?: Resource[]; withoutDeleter?: string[]} = {}) {
  const current = options.current ?? (await resourcesOf(currentItems))
  const specs = new Map(specsWithDeleters(options.withoutDeleter).map((s) => [s.type, s]))
  const protection = buildProtection({rules: options.rules ?? emptyRules(), caller: options.caller ?? ADMIN, now: NOW, current, specOf: (t) => specs.get(t)})
  const byId = (type: string, id: string) => {
    const r = current.find((c) => c.type === type && c.id === id)
    if (r === undefined) throw new Error(`no ${type} ${id}`)
    return r
  }

  return {current, protection, reasons: (type: string, id: string) => protection.reasonsOf(byId(type, id))}
}

const kinds = (reasons: ReadonlyArray<{kind: string}>) => reasons.map((r) => r.kind)

describe('parseCallerArn', () => {
  it.each([
    ['arn:aws:iam::123456789012:user/alice', {kind: 'user', name: 'alice'}],
    ['arn:aws:iam::123456789012:user/division/team/alice', {kind: 'user', name: 'alice'}],
    ['arn:aws:sts::123456789012:assumed-role/admin/jane@example.com', {kind: 'role', name: 'admin', session: 'jane@example.com'}],
    ['arn:aws-us-gov:sts::123456789012:assumed-role/ops/i-0123456789abcdef0', {kind: 'role', name: 'ops', session: 'i-0123456789abcdef0'}],
    ['arn:aws:iam::123456789012:role/path/deployer', {kind: 'role', name: 'deployer'}],
    ['arn:aws:iam::123456789012:root', {kind: 'root'}],
    ['arn:aws:sts::123456789012:federated-user/bob', {kind: 'other'}],
    ['not an arn', {kind: 'other'}],
  ])('reads %s', (arn, principal) => {
    expect(parseCallerArn(arn)).toEqual(principal)
  })
})

describe('always protected: the caller identity', () => {
  it('protects the caller user, the groups it is in and the policies attached to it or to those groups', async () => {
    const user = captured('AWS::IAM::User', 'UserName', 'sbx-alice', {AttachedPolicies: [{PolicyName: 'own', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/own`}]})
    const own = captured('AWS::IAM::Policy', 'PolicyName', 'sbx-read', {PolicyName: 'own', Arn: `arn:aws:iam::${ACCOUNT}:policy/own`, PolicyId: 'ANPAOWN'})
    const base = await resourcesOf(currentItems)
    const current = [...base.filter((r) => r.type !== 'AWS::IAM::User'), await collected('AWS::IAM::User', user), await collected('AWS::IAM::Policy', own)]
    const {reasons} = await judge({caller: CALLER_USER, current})

    expect(reasons('AWS::IAM::User', 'sbx-alice')).toEqual([
      {kind: 'caller-identity', explanation: "the caller's own user sbx-alice: awsinv runs as it (its access keys, login profile and MFA devices with it)"},
    ])
    expect(reasons('AWS::IAM::Group', 'sbx-devs')).toEqual([
      {kind: 'caller-identity', explanation: "a group the caller's user sbx-alice is in: deleting it would change the caller's permissions"},
    ])
    expect(reasons('AWS::IAM::Policy', `arn:aws:iam::${ACCOUNT}:policy/sbx-read`)).toEqual([
      {kind: 'caller-identity', explanation: "attached to group sbx-devs, which the caller's user sbx-alice is in"},
    ])
    expect(reasons('AWS::IAM::Policy', `arn:aws:iam::${ACCOUNT}:policy/own`)).toEqual([{kind: 'caller-identity', explanation: "attached to the caller's user sbx-alice"}])
    // The role is someone else's.
    expect(reasons('AWS::IAM::Role', 'sbx-app-role')).toEqual([])
  })

  it('protects the caller role, its policies, the instance profile holding it, and the instance named by the session', async () => {
    const instanceId = 'i-766e2671bc588d6ff'
    const caller = {arn: `arn:aws:sts::${ACCOUNT}:assumed-role/sbx-app-role/${instanceId}`, accountId: ACCOUNT}
    const {reasons} = await judge({caller})
    expect(reasons('AWS::IAM::Role', 'sbx-app-role')).toEqual([{kind: 'caller-identity', explanation: `the caller's own role sbx-app-role (session ${instanceId}): awsinv runs as it`}])
    expect(reasons('AWS::IAM::Policy', `arn:aws:iam::${ACCOUNT}:policy/sbx-read`)).toEqual([{kind: 'caller-identity', explanation: "attached to the caller's role sbx-app-role"}])
    expect(reasons('AWS::IAM::InstanceProfile', 'sbx-app-profile')).toEqual([{kind: 'caller-identity', explanation: "the instance profile holding the caller's role sbx-app-role"}])
    expect(reasons('AWS::EC2::Instance', instanceId)).toEqual([{kind: 'caller-identity', explanation: `the instance awsinv runs on (the caller's session ${instanceId})`}])
    expect(reasons('AWS::IAM::User', 'sbx-alice')).toEqual([])
    expect(reasons('AWS::IAM::Group', 'sbx-devs')).toEqual([])
  })

  it('finds the instance profile from the profile side too (the role lists none)', async () => {
    const base = await resourcesOf(currentItems)
    const bareRole = await collected('AWS::IAM::Role', captured('AWS::IAM::Role', 'RoleName', 'sbx-app-role', {InstanceProfiles: []}))
    const current = [...base.filter((r) => r.type !== 'AWS::IAM::Role'), bareRole]
    const {reasons} = await judge({caller: {arn: `arn:aws:sts::${ACCOUNT}:assumed-role/sbx-app-role/ci`, accountId: ACCOUNT}, current})
    expect(kinds(reasons('AWS::IAM::InstanceProfile', 'sbx-app-profile'))).toEqual(['caller-identity'])
    // A session that is not an instance id names no instance.
    expect(reasons('AWS::EC2::Instance', 'i-766e2671bc588d6ff')).toEqual([])
  })

  it('protects nothing for the root user or a federated user, nor for a caller of another account', async () => {
    for (const arn of [`arn:aws:iam::${ACCOUNT}:root`, `arn:aws:sts::${ACCOUNT}:federated-user/sbx-alice`]) {
      const {current, protection} = await judge({caller: {arn, accountId: ACCOUNT}})
      expect(current.filter((r) => kinds(protection.reasonsOf(r)).includes('caller-identity'))).toEqual([])
    }

    const {reasons} = await judge({caller: {arn: 'arn:aws:iam::999999999999:user/sbx-alice', accountId: '999999999999'}})
    expect(reasons('AWS::IAM::User', 'sbx-alice')).toEqual([])
  })
})

describe('always protected: AWS managed and service-linked', () => {
  it('protects AWS managed policies', async () => {
    const managed = await collected(
      'AWS::IAM::Policy',
      captured('AWS::IAM::Policy', 'PolicyName', 'sbx-read', {PolicyName: 'ReadOnlyAccess', Arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', Tags: []}),
    )
    const {protection} = await judge({current: [managed]})
    expect(protection.reasonsOf(managed)).toEqual([{kind: 'aws-managed', explanation: 'an AWS managed policy: AWS owns it'}])
  })

  it('protects service-linked roles and roles AWS reserves (IAM Identity Center)', async () => {
    const linked = await collected(
      'AWS::IAM::Role',
      captured('AWS::IAM::Role', 'RoleName', 'sbx-app-role', {
        RoleName: 'AWSServiceRoleForAutoScaling',
        Path: '/aws-service-role/autoscaling.amazonaws.com/',
        Arn: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
      }),
    )
    const sso = await collected(
      'AWS::IAM::Role',
      captured('AWS::IAM::Role', 'RoleName', 'sbx-app-role', {
        RoleName: 'AWSReservedSSO_Admin_0123',
        Path: '/aws-reserved/sso.amazonaws.com/',
        Arn: `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123`,
      }),
    )
    const {protection} = await judge({current: [linked, sso]})
    expect(protection.reasonsOf(linked)).toEqual([{kind: 'service-linked', explanation: 'a service-linked role: it is deleted through the service that uses it'}])
    expect(protection.reasonsOf(sso)).toEqual([{kind: 'aws-managed', explanation: 'managed by AWS (path /aws-reserved/sso.amazonaws.com/, e.g. IAM Identity Center)'}])
  })

  it('protects resources a service manages, named by their aws: tags', async () => {
    const tags = [
      {Key: 'aws:cloudformation:stack-name', Value: 'web-stack'},
      {Key: 'aws:autoscaling:groupName', Value: 'web-asg'},
    ]
    const managed = await collected('AWS::EC2::Instance', captured('AWS::EC2::Instance', 'InstanceId', 'i-766e2671bc588d6ff', {Tags: tags}))
    const {protection} = await judge({current: [managed]})
    expect(protection.reasonsOf(managed)).toEqual([
      {kind: 'aws-managed', explanation: 'managed by CloudFormation stack web-stack (tag aws:cloudformation:stack-name): delete it there instead'},
      {kind: 'aws-managed', explanation: 'managed by Auto Scaling group web-asg (tag aws:autoscaling:groupName): delete it there instead'},
    ])
  })

  it('protects AWS managed keys (KMS KeyMetadata.KeyManager AWS)', async () => {
    // No KMS spec is registered yet: a canonical resource in the shape of DescribeKey's KeyMetadata.
    const key: Resource = {
      arn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
      type: 'AWS::KMS::Key',
      id: '1234abcd-12ab-34cd-56ef-1234567890ab',
      name: '1234abcd-12ab-34cd-56ef-1234567890ab',
      region: 'us-east-1',
      accountId: ACCOUNT,
      createdAt: '2026-01-01T00:00:00.000Z',
      tags: {},
      configuration: {KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab', KeyManager: 'AWS', KeyState: 'Enabled'},
      source: 'api',
      relationships: [],
    }
    const {protection} = await judge({current: [key]})
    const managed = (r: Resource) => protection.reasonsOf(r).filter((p) => p.kind === 'aws-managed')
    expect(managed(key)).toEqual([{kind: 'aws-managed', explanation: 'an AWS managed key: AWS owns it'}])
    expect(managed({...key, configuration: {...key.configuration, KeyManager: 'CUSTOMER'}})).toEqual([])
  })

  it('protects a trail another account owns (an organization trail seen from a member account), not the account’s own', async () => {
    const orgTrail = await collected('AWS::CloudTrail::Trail', organizationTrail)
    const ownTrail = await collected('AWS::CloudTrail::Trail', audit)
    const otherTrail = await collected('AWS::CloudTrail::Trail', {...audit, TrailARN: audit.TrailARN?.replace(ACCOUNT, '999999999999')})
    // The management account's own organization trail is its own: the rules decide.
    const managementsOwn = {...orgTrail, accountId: managementAccount}
    const {protection} = await judge({current: [orgTrail, ownTrail, otherTrail]})
    expect(protection.reasonsOf(orgTrail)).toEqual([{kind: 'aws-managed', explanation: `an organization trail of management account ${managementAccount}: manage it there`}])
    expect(protection.reasonsOf(otherTrail)).toEqual([{kind: 'aws-managed', explanation: 'a trail of account 999999999999: manage it there'}])
    expect(protection.reasonsOf(ownTrail)).toEqual([])
    expect(protection.reasonsOf(managementsOwn)).toEqual([])
  })

  it('protects a multi-region trail kept outside its home region, which the run does not cover', async () => {
    // Collected in eu-west-1 (the first region of its run), homed in us-east-1, which the run did not select.
    const adopted = await collected('AWS::CloudTrail::Trail', audit, 'eu-west-1')
    const homed = await collected('AWS::CloudTrail::Trail', audit, 'us-east-1')
    const {protection} = await judge({current: [adopted, homed]})
    expect(protection.reasonsOf(adopted)).toEqual([
      {
        kind: 'outside-regions',
        explanation:
          'a multi-region trail homed in us-east-1, a region not collected (it was seen through eu-west-1, which it logs too): deleting it would stop its logging in every region; delete it with a run that covers us-east-1',
      },
    ])
    expect(protection.reasonsOf(homed)).toEqual([])
    // The executor's re-check of what it reads right before deleting says the same.
    expect(intrinsicProtection(adopted, specOf).map((r) => r.kind)).toEqual(['outside-regions'])
  })

  it('protects requester-managed network interfaces, not the others', async () => {
    // moto 5.2 marks no interface requester-managed; real AWS marks a NAT gateway's so, with its type.
    const natEni = await collected(
      'AWS::EC2::NetworkInterface',
      captured('AWS::EC2::NetworkInterface', 'NetworkInterfaceId', 'eni-d684a13bfaf811401', {
        RequesterManaged: true,
        InterfaceType: 'nat_gateway',
        Description: 'Interface for NAT Gateway nat-cc4d4f34e2687783a',
      }),
    )
    const {protection, reasons} = await judge({current: [natEni, ...(await resourcesOf(currentItems)).filter((r) => r.id !== natEni.id)]})
    expect(protection.reasonsOf(natEni)).toEqual([
      {
        kind: 'requester-managed',
        explanation: 'created by AWS for a service (nat_gateway, Interface for NAT Gateway nat-cc4d4f34e2687783a): it goes with the resource that created it',
      },
    ])
    expect(reasons('AWS::EC2::NetworkInterface', 'eni-31bd44267c9bef3c4')).toEqual([])
  })

  it('protects a secret another service manages (an RDS master password), not the others', async () => {
    const entry = {
      ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-4f1c-AbCdEf',
      Name: 'rds!db-4f1c',
      CreatedDate: new Date('2026-12-01T00:00:00Z'),
      Tags: [],
    }
    const managedSecret = await collected('AWS::SecretsManager::Secret', {...entry, OwningService: 'rds'})
    const ownSecret = await collected('AWS::SecretsManager::Secret', {...entry, ARN: entry.ARN.replace('rds!db-4f1c', 'app-token'), Name: 'app-token'})
    const {protection} = await judge({current: [managedSecret, ownSecret]})
    expect(protection.reasonsOf(managedSecret)).toEqual([{kind: 'requester-managed', explanation: 'managed by rds: it goes with the resource that created it'}])
    expect(protection.reasonsOf(ownSecret)).toEqual([])
  })
})

describe('iamPathOf', () => {
  it('reads the path of an IAM ARN, for a re-read that returns no configuration', () => {
    expect(iamPathOf(`arn:aws:iam::${ACCOUNT}:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport`)).toBe('/aws-service-role/support.amazonaws.com/')
    expect(iamPathOf(`arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_X`)).toBe('/aws-reserved/sso.amazonaws.com/eu-west-1/')
    expect(iamPathOf(`arn:aws:iam::${ACCOUNT}:role/app`)).toBe('/')
    expect(iamPathOf(`arn:aws:sqs:us-east-1:${ACCOUNT}:aws-reserved`)).toBe('')
  })

  it('protects a role under /aws-reserved/ from its ARN alone', () => {
    const bare = {arn: `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_X`, type: 'AWS::IAM::Role', id: 'AWSReservedSSO_X', name: 'AWSReservedSSO_X', region: 'global', accountId: ACCOUNT, createdAt: null, tags: {}, configuration: {}, source: 'api' as const, relationships: []}
    expect(intrinsicProtection(bare, specOf).map((r) => r.kind)).toEqual(['aws-managed'])
  })
})

describe('always protected: default VPC resources', () => {
  const defaultVpc = 'vpc-b2563ce2f77780e69'
  const defaultVpcArn = `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc/${defaultVpc}`
  const sandboxVpcArn = `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc/vpc-dc42b0dc0748f95d0`

  it('protects the default VPC and its default subnets, not a subnet someone added to it', async () => {
    const added = await collected(
      'AWS::EC2::Subnet',
      captured('AWS::EC2::Subnet', 'SubnetId', 'subnet-69a648a085f465748', {VpcId: defaultVpc, SubnetArn: `arn:aws:ec2:us-east-1:${ACCOUNT}:subnet/subnet-added`, SubnetId: 'subnet-added'}),
    )
    const {reasons, protection} = await judge({current: [...(await resourcesOf(currentItems)), added]})
    expect(reasons('AWS::EC2::VPC', defaultVpc)).toEqual([{kind: 'default-vpc', explanation: 'the default VPC'}])
    expect(reasons('AWS::EC2::VPC', 'vpc-dc42b0dc0748f95d0')).toEqual([])
    expect(reasons('AWS::EC2::Subnet', 'subnet-0ed7c012834588c3f')).toEqual([{kind: 'default-vpc', explanation: `a default subnet of the default VPC ${defaultVpc}`}])
    expect(protection.reasonsOf(added)).toEqual([])
  })

  it('protects the internet gateway attached to the default VPC, not another one', async () => {
    const defaultIgw = await collected(
      'AWS::EC2::InternetGateway',
      captured('AWS::EC2::InternetGateway', 'InternetGatewayId', 'igw-bc25918f720341221', {InternetGatewayId: 'igw-default', Attachments: [{State: 'available', VpcId: defaultVpc}], Tags: []}),
    )
    const {reasons, protection} = await judge({current: [...(await resourcesOf(currentItems)), defaultIgw]})
    expect(protection.reasonsOf(defaultIgw)).toEqual([{kind: 'default-vpc', explanation: `the internet gateway of the default VPC ${defaultVpc}`}])
    expect(reasons('AWS::EC2::InternetGateway', 'igw-bc25918f720341221')).toEqual([])
  })

  it('protects every VPC’s default security group, main route table and default network ACL, to go with their VPC', async () => {
    const {reasons} = await judge()
    expect(reasons('AWS::EC2::SecurityGroup', 'sg-e1c535ef4d15866de')).toEqual([
      {kind: 'created-with-vpc', deletedWith: sandboxVpcArn, explanation: 'the default security group of vpc-dc42b0dc0748f95d0: AWS deletes it only with its VPC'},
    ])
    expect(reasons('AWS::EC2::RouteTable', 'rtb-df0ac774e8a09946f')).toEqual([
      {kind: 'created-with-vpc', deletedWith: sandboxVpcArn, explanation: 'the main route table of vpc-dc42b0dc0748f95d0: AWS deletes it only with its VPC'},
    ])
    expect(reasons('AWS::EC2::NetworkAcl', 'acl-ae2da0423528cdba1')).toEqual([
      {kind: 'created-with-vpc', deletedWith: sandboxVpcArn, explanation: 'the default network ACL of vpc-dc42b0dc0748f95d0: AWS deletes it only with its VPC'},
    ])
    expect(reasons('AWS::EC2::SecurityGroup', 'sg-f46be58d23aa0b33c')).toEqual([
      {kind: 'created-with-vpc', deletedWith: defaultVpcArn, explanation: `the default security group of the default VPC ${defaultVpc}: AWS deletes it only with its VPC`},
    ])
    // The sandbox's own route table, network ACL and groups are ordinary.
    for (const [type, id] of [
      ['AWS::EC2::RouteTable', 'rtb-498dc43707080f720'],
      ['AWS::EC2::NetworkAcl', 'acl-0e5780b88083186d0'],
      ['AWS::EC2::SecurityGroup', 'sg-3c7d7a1920099e6ab'],
    ] as const) {
      expect(reasons(type, id)).toEqual([])
    }
  })
})

describe('always protected: types without a deleter', () => {
  it('protects every resource of a type awsinv cannot delete', async () => {
    const {reasons} = await judge({withoutDeleter: ['AWS::S3::Bucket']})
    expect(reasons('AWS::S3::Bucket', 'sbx-bucket-us-east-1')).toEqual([{kind: 'not-deletable', explanation: 'awsinv has no deleter for AWS::S3::Bucket'}])
    const {reasons: withDeleter} = await judge()
    expect(withDeleter('AWS::S3::Bucket', 'sbx-bucket-us-east-1')).toEqual([])
  })
})

describe('rules and fixed reasons together', () => {
  it('lists rule reasons first, then the fixed ones', async () => {
    const rules = {...emptyRules(), names: [{pattern: 'default', source: 'r.yaml'}]}
    const {reasons} = await judge({rules, withoutDeleter: ['AWS::EC2::SecurityGroup']})
    expect(kinds(reasons('AWS::EC2::SecurityGroup', 'sg-e1c535ef4d15866de'))).toEqual(['name-rule', 'created-with-vpc', 'not-deletable'])
  })
})

describe('recheckProtection', () => {
  const subject = {type: 'AWS::EC2::Instance', id: 'i-1', name: 'web', createdAt: '2026-12-01T00:00:00.000Z'}
  const rules = {...emptyRules(), tags: [{key: 'keep', value: 'yes', source: '--protect-tag'}]}

  it('finds a protect tag added after planning', () => {
    expect(kinds(recheckProtection(rules, subject, {keep: 'yes'}, NOW))).toEqual(['tag-rule'])
    expect(recheckProtection(rules, subject, {keep: 'no'}, NOW)).toEqual([])
  })

  it('protects when the tags could not be read and a tag rule exists', () => {
    expect(kinds(recheckProtection(rules, subject, null, NOW))).toEqual(['tag-rule'])
    expect(recheckProtection(emptyRules(), subject, null, NOW)).toEqual([])
  })

  it('finds a service that took the resource over', () => {
    expect(kinds(recheckProtection(emptyRules(), subject, {'aws:cloudformation:stack-name': 'imported'}, NOW))).toEqual(['aws-managed'])
  })
})
