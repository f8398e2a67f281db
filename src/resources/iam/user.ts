import type {AttachedPolicy, Group, IAM, Tag, User} from '@aws-sdk/client-iam'

import {classifyError, unlessDeleted} from '../../aws/errors.js'
import {collectPages, describeInBatches, paginateItems} from '../../aws/paginate.js'
import {currentStateFrom, readCurrent, runStepCall, stringParam} from '../../cleanup/deleting.js'
import type {DeleteStep} from '../../cleanup/types.js'
import {apiResource, isoDate, tagsFromList} from '../normalize.js'
import type {Relationship, Resource, ResourceSpec} from '../types.js'
import {group} from './group.js'
import {attachedPolicyRelationships, policy, policyRemovalSteps} from './policy.js'

/** An IAM user with what the per-user List* calls say about it. Secrets are never part of it. */
export interface UserItem extends User {
  Tags: Tag[]
  /** Access key metadata only: ListAccessKeys never returns secrets, and nothing else is kept. */
  AccessKeys: Array<{AccessKeyId?: string; Status?: string; CreateDate?: Date | string}>
  MFADevices: Array<{SerialNumber?: string; EnableDate?: Date | string}>
  /** The groups the user is in (ListGroupsForUser). */
  Groups: Group[]
  /** Managed policies attached to the user directly. */
  AttachedPolicies: AttachedPolicy[]
  /** Names of the user's inline policies (their documents are not fetched). */
  InlinePolicyNames: string[]
  /** Present when the user has a console password. */
  LoginProfile?: {CreateDate?: Date | string; PasswordResetRequired?: boolean}
  /** X.509 signing certificates (ListSigningCertificates), by id: the certificate bodies are not kept. */
  SigningCertificates: Array<{CertificateId?: string; Status?: string; UploadDate?: Date | string}>
  /** SSH public keys for CodeCommit (ListSSHPublicKeys), by id: the key bodies are not kept. */
  SSHPublicKeys: Array<{SSHPublicKeyId?: string; Status?: string; UploadDate?: Date | string}>
}

// Users described at once; each description is itself nine parallel calls.
const userConcurrency = 4

export const user: ResourceSpec<UserItem> = {
  type: 'AWS::IAM::User',
  service: 'iam',
  scope: 'global',
  docs: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListUsers.html',

  async *list(ctx) {
    const iam = await ctx.clients.get('iam', ctx.region)
    for await (const page of paginateItems((r) => iam.listUsers(r), {MaxItems: 1000}, 'Marker', 'Marker', 'Users')) {
      yield* describeInBatches(page, userConcurrency, ctx.signal, (u) => unlessDeleted(() => describeUser(iam, u)))
    }
  },

  toResource(item, ctx) {
    const tags = tagsFromList(item.Tags)
    return apiResource(ctx, {
      arn: item.Arn ?? '',
      type: user.type,
      id: item.UserName ?? '',
      name: item.UserName ?? '',
      region: 'global',
      createdAt: isoDate(item.CreateDate),
      tags,
      configuration: item,
    })
  },

  relationships(resource) {
    const partition = resource.arn.split(':')[1] ?? 'aws'
    const groups = (resource.configuration.Groups ?? []) as Array<{Arn?: string; GroupName?: string; Path?: string}>
    const inGroups: Relationship[] = groups.map((g) => ({
      type: group.type,
      arn: g.Arn ?? `arn:${partition}:iam::${resource.accountId}:group${g.Path ?? '/'}${g.GroupName ?? ''}`,
      kind: 'in',
    }))
    return [...inGroups, ...attachedPolicyRelationships(resource)]
  },

  // A user leaves its groups and loses its policies before it can be deleted.
  dependsOn: [group.type, policy.type],
  // Changes whenever the user signs in to the console.
  volatile: ['PasswordLastUsed'],
  uniqueId: 'UserId',
  sets: {
    Tags: 'Key',
    AccessKeys: 'AccessKeyId',
    MFADevices: 'SerialNumber',
    Groups: 'GroupName',
    AttachedPolicies: 'PolicyArn',
    InlinePolicyNames: '.',
    SigningCertificates: 'CertificateId',
    SSHPublicKeys: 'SSHPublicKeyId',
  },

  deleter: {
    steps: userSteps,

    current: (ctx, item) =>
      readCurrent(async () => {
        const iam = await ctx.clients.get('iam', ctx.region)
        // GetUser answers NoSuchEntity for a deleted user, and carries its id and every tag (at most 50):
        // one call says all three.
        const {User: found} = await iam.getUser({UserName: item.id})
        return currentStateFrom(found?.Tags, found?.UserId)
      }),

    async run(ctx, _item, step) {
      const iam = await ctx.clients.get('iam', ctx.region)
      const p = (name: string) => stringParam(step, name)
      return runStepCall(step, {
        'delete-access-key': () => iam.deleteAccessKey({UserName: p('userName'), AccessKeyId: p('accessKeyId')}),
        'delete-login-profile': () => iam.deleteLoginProfile({UserName: p('userName')}),
        'deactivate-mfa-device': () => iam.deactivateMFADevice({UserName: p('userName'), SerialNumber: p('serialNumber')}),
        'delete-virtual-mfa-device': () => iam.deleteVirtualMFADevice({SerialNumber: p('serialNumber')}),
        'delete-signing-certificate': () => iam.deleteSigningCertificate({UserName: p('userName'), CertificateId: p('certificateId')}),
        'delete-ssh-public-key': () => iam.deleteSSHPublicKey({UserName: p('userName'), SSHPublicKeyId: p('sshPublicKeyId')}),
        'remove-user-from-group': () => iam.removeUserFromGroup({UserName: p('userName'), GroupName: p('groupName')}),
        'detach-user-policy': () => iam.detachUserPolicy({UserName: p('userName'), PolicyArn: p('policyArn')}),
        'delete-user-policy': () => iam.deleteUserPolicy({UserName: p('userName'), PolicyName: p('policyName')}),
        'delete-user': () => iam.deleteUser({UserName: p('userName')}),
      })
    },
  },
}

// A virtual MFA device's serial number is its ARN under `mfa/`; hardware tokens have plain serials and
// security keys (FIDO) ARNs under `u2f/`: only virtual devices are IAM entities that must be deleted.
const virtualMfaSerial = /^arn:[^:]+:iam::\d{12}:mfa\//

/**
 * What DeleteUser requires gone first, from the stored configuration, then the user itself: access keys,
 * the console password, MFA devices (deactivated; virtual ones deleted too), signing certificates, SSH
 * public keys, group memberships, managed policies (detached) and inline policies. Service-specific
 * credentials (CodeCommit, Keyspaces, Bedrock API keys) are not collected: a user that has them fails
 * DeleteUser with DeleteConflict, which names them.
 */
function userSteps(resource: Resource): DeleteStep[] {
  const config = resource.configuration as Partial<UserItem>
  const userName = resource.id
  const ids = <T>(list: T[] | undefined, id: (x: T) => string | undefined) => (list ?? []).map(id).filter((v): v is string => v !== undefined && v !== '')
  const steps: DeleteStep[] = []
  for (const accessKeyId of ids(config.AccessKeys, (k) => k.AccessKeyId)) {
    steps.push({action: 'delete-access-key', description: `Delete access key ${accessKeyId} of user ${userName}`, params: {userName, accessKeyId}})
  }

  if (config.LoginProfile) {
    steps.push({action: 'delete-login-profile', description: `Delete the console password (login profile) of user ${userName}`, params: {userName}})
  }

  for (const serialNumber of ids(config.MFADevices, (d) => d.SerialNumber)) {
    steps.push({action: 'deactivate-mfa-device', description: `Deactivate MFA device ${serialNumber} of user ${userName}`, params: {userName, serialNumber}})
    if (virtualMfaSerial.test(serialNumber)) {
      steps.push({action: 'delete-virtual-mfa-device', description: `Delete virtual MFA device ${serialNumber}`, params: {serialNumber}})
    }
  }

  for (const certificateId of ids(config.SigningCertificates, (c) => c.CertificateId)) {
    steps.push({action: 'delete-signing-certificate', description: `Delete signing certificate ${certificateId} of user ${userName}`, params: {userName, certificateId}})
  }

  for (const sshPublicKeyId of ids(config.SSHPublicKeys, (k) => k.SSHPublicKeyId)) {
    steps.push({action: 'delete-ssh-public-key', description: `Delete SSH public key ${sshPublicKeyId} of user ${userName}`, params: {userName, sshPublicKeyId}})
  }

  for (const groupName of ids(config.Groups, (g) => g.GroupName)) {
    steps.push({action: 'remove-user-from-group', description: `Remove user ${userName} from group ${groupName}`, params: {userName, groupName}})
  }

  steps.push(...policyRemovalSteps('user', userName, resource.configuration))
  steps.push({action: 'delete-user', description: `Delete user ${userName}`, params: {userName}})
  return steps
}

async function describeUser(iam: IAM, listed: User): Promise<UserItem> {
  const UserName = listed.UserName ?? ''
  const [Tags, keys, mfa, Groups, AttachedPolicies, InlinePolicyNames, LoginProfile, certificates, sshKeys] = await Promise.all([
    collectPages(paginateItems((r) => iam.listUserTags(r), {UserName}, 'Marker', 'Marker', 'Tags')),
    collectPages(paginateItems((r) => iam.listAccessKeys(r), {UserName}, 'Marker', 'Marker', 'AccessKeyMetadata')),
    collectPages(paginateItems((r) => iam.listMFADevices(r), {UserName}, 'Marker', 'Marker', 'MFADevices')),
    collectPages(paginateItems((r) => iam.listGroupsForUser(r), {UserName}, 'Marker', 'Marker', 'Groups')),
    collectPages(paginateItems((r) => iam.listAttachedUserPolicies(r), {UserName}, 'Marker', 'Marker', 'AttachedPolicies')),
    collectPages(paginateItems((r) => iam.listUserPolicies(r), {UserName}, 'Marker', 'Marker', 'PolicyNames')),
    loginProfile(iam, UserName),
    collectPages(paginateItems((r) => iam.listSigningCertificates(r), {UserName}, 'Marker', 'Marker', 'Certificates')),
    collectPages(paginateItems((r) => iam.listSSHPublicKeys(r), {UserName}, 'Marker', 'Marker', 'SSHPublicKeys')),
  ])
  return {
    ...listed,
    Tags,
    AccessKeys: keys.map((k) => ({AccessKeyId: k.AccessKeyId, Status: k.Status, CreateDate: k.CreateDate})),
    MFADevices: mfa.map((d) => ({SerialNumber: d.SerialNumber, EnableDate: d.EnableDate})),
    Groups,
    AttachedPolicies,
    InlinePolicyNames,
    LoginProfile,
    SigningCertificates: certificates.map((c) => ({CertificateId: c.CertificateId, Status: c.Status, UploadDate: c.UploadDate})),
    SSHPublicKeys: sshKeys.map((k) => ({SSHPublicKeyId: k.SSHPublicKeyId, Status: k.Status, UploadDate: k.UploadDate})),
  }
}

/** The user's console login profile, or undefined when it has none. */
async function loginProfile(iam: IAM, UserName: string): Promise<UserItem['LoginProfile']> {
  try {
    const {LoginProfile: profile} = await iam.getLoginProfile({UserName})
    return {CreateDate: profile?.CreateDate, PasswordResetRequired: profile?.PasswordResetRequired}
  } catch (error) {
    // NoSuchEntity here means "no password", not "no user": a deleted user also fails the other calls.
    if (classifyError(error).kind === 'not_found') return undefined
    throw error
  }
}
