import {GetAccountPasswordPolicyCommand, IAMClient, NoSuchEntityException} from '@aws-sdk/client-iam'
import {mockClient} from 'aws-sdk-client-mock'
import {afterEach, describe, expect, it} from 'vitest'

import {passwordPolicy, type PasswordPolicyItem} from '../../../../src/resources/iam/password-policy.js'
import {STRICT_PASSWORD_POLICY} from '../../../support/account-settings.js'
import {testContext} from '../../../support/context.js'

/** Captured from the emulator (moto 5.2): what passwordPolicy.list() yields after UpdateAccountPasswordPolicy. */
const strict: PasswordPolicyItem = {PasswordPolicy: STRICT_PASSWORD_POLICY}

async function listAll(): Promise<PasswordPolicyItem[]> {
  const items: PasswordPolicyItem[] = []
  for await (const page of passwordPolicy.list(testContext())) items.push(...page)
  return items
}

describe('Account::IAM::PasswordPolicy', () => {
  const iam = mockClient(IAMClient)
  afterEach(() => iam.reset())

  it('is one global, untagged setting with a stable pseudo-ARN and the policy as configuration', async () => {
    const resource = await passwordPolicy.toResource(strict, testContext({region: 'eu-west-1'}))
    expect(resource).toEqual({
      arn: 'arn:aws:iam::123456789012:account-password-policy',
      type: 'Account::IAM::PasswordPolicy',
      id: '123456789012',
      name: 'account-password-policy',
      region: 'global',
      accountId: '123456789012',
      createdAt: null,
      tags: {},
      configuration: strict,
      source: 'api',
      relationships: [],
    })
    expect(passwordPolicy).toMatchObject({scope: 'global', untagged: true, singleton: true})
  })

  it('says "no policy" explicitly when IAM answers NoSuchEntity', async () => {
    iam.on(GetAccountPasswordPolicyCommand).rejects(new NoSuchEntityException({message: 'The Password Policy with domain name 123456789012 cannot be found.', $metadata: {httpStatusCode: 404}}))
    const items = await listAll()
    expect(items).toEqual([{PasswordPolicy: null}])
    expect((await passwordPolicy.toResource(items[0]!, testContext())).configuration).toEqual({PasswordPolicy: null})
  })

  it('yields the policy IAM returns, and lets a denial through', async () => {
    iam.on(GetAccountPasswordPolicyCommand).resolves({PasswordPolicy: strict.PasswordPolicy!})
    expect(await listAll()).toEqual([strict])
    iam.on(GetAccountPasswordPolicyCommand).rejects(Object.assign(new Error('not authorized to perform: iam:GetAccountPasswordPolicy'), {name: 'AccessDenied', $metadata: {httpStatusCode: 403}}))
    await expect(listAll()).rejects.toMatchObject({name: 'AccessDenied'})
  })
})
