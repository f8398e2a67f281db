import {type ConfigItem, configResource} from './config-item.js'
import {apiResource} from './normalize.js'
import type {CollectContext, Resource, ResourceSpec} from './types.js'

/**
 * What every account-level setting spec declares (`Account::<Service>::<Setting>` types and
 * `AWS::S3::AccountPublicAccessBlock`): it carries no tags, so tag filters never drop it, and its
 * listing yields exactly one item per collected cell, "not configured" included.
 */
export const accountSettingTraits = {untagged: true, singleton: true} as const satisfies Partial<ResourceSpec>

/** The spec fields the identity of a setting is made from. */
export type SettingSpec = Pick<ResourceSpec, 'type' | 'service' | 'scope'>

/**
 * The stable pseudo-ARN of an account setting: `arn:<partition>:<service>:<region>:<account>:<setting>`,
 * with an empty region for a global one (`arn:aws:iam::123456789012:account-password-policy`). AWS gives
 * settings no ARN; this one is the same on every run, so drift reads as a modification of the setting.
 */
export function accountSettingArn(partition: string, service: string, region: string, accountId: string, setting: string): string {
  return `arn:${partition}:${service}:${region === 'global' ? '' : region}:${accountId}:${setting}`
}

/**
 * The canonical resource of an account setting read through the direct API: the pseudo-ARN, the account
 * id as `id` (the setting has no id of its own; the calls that change it take the account), the kebab
 * setting name as `name`, no creation time, no tags. `configuration` states the value, "not configured"
 * included.
 */
export function accountSettingResource(
  ctx: Pick<CollectContext, 'partition' | 'region' | 'accountId'>,
  spec: SettingSpec,
  setting: string,
  configuration: object,
): Resource {
  const region = spec.scope === 'global' ? 'global' : ctx.region
  return apiResource(ctx, {...settingIdentity(ctx.partition, spec, setting, region, ctx.accountId), region, configuration})
}

/**
 * The same setting read from an AWS Config item. Account and partition come from the item where it has
 * them (aggregators return other accounts' items); a global setting is stored in `global` even though
 * Config records it in a real region (the item's `awsRegion`).
 */
export function accountSettingFromConfig(
  item: ConfigItem,
  ctx: Pick<CollectContext, 'partition' | 'region' | 'accountId'>,
  spec: SettingSpec,
  setting: string,
  configuration: object,
): Resource {
  const accountId = item.accountId || ctx.accountId
  const region = spec.scope === 'global' ? 'global' : item.awsRegion || ctx.region
  return configResource(item, ctx, {...settingIdentity(ctx.partition, spec, setting, region, accountId), accountId, region, configuration})
}

function settingIdentity(partition: string, spec: SettingSpec, setting: string, region: string, accountId: string) {
  return {
    arn: accountSettingArn(partition, spec.service, region, accountId, setting),
    type: spec.type,
    id: accountId,
    name: setting,
    // A setting has no creation time AWS reports.
    createdAt: null,
    tags: {},
  }
}
