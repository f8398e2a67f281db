import {type KeyItem, rotationApplies} from '../../resources/kms/key.js'
import {ageInDays, fail, pass, perCell, unknown} from '../evaluate.js'
import type {Check} from '../types.js'
import {counted} from '../../words.js'

export const kmsKeyRotationOff: Check = {
  id: 'kms-key-rotation-off',
  title: 'Automatic rotation is enabled for customer managed symmetric KMS keys',
  severity: 'medium',
  cis: {v4: '3.6', v7: '4.6'},
  resourceTypes: ['AWS::KMS::Key'],
  risk: 'Without rotation a key encrypts with the same key material for its whole life: the more data one key version protects and the longer it does, the more a leaked or broken key material exposes.',
  remediation: {
    text: 'Turn on automatic rotation: KMS then creates new key material every rotation period (365 days by default) and keeps the old versions to decrypt what they encrypted.',
    cli: 'aws kms enable-key-rotation --key-id <key-id> --region <region>',
  },

  evaluate(snapshot) {
    // A multi-Region replica rotates with its primary, where rotation is set: judged there when the
    // snapshot holds the primary, else here with the fix aimed at the primary.
    const keys = new Set(snapshot.resources('AWS::KMS::Key').map((k) => k.arn))
    const primaryOf = (item: Partial<KeyItem>) => (item.MultiRegionConfiguration?.MultiRegionKeyType === 'REPLICA' ? item.MultiRegionConfiguration.PrimaryKey?.Arn : undefined)
    // Only keys that rotation applies to are judged: enabled symmetric keys with KMS key material (the
    // collector keeps customer managed keys only). Asymmetric, HMAC, imported, custom key store, disabled
    // and pending-deletion keys cannot rotate automatically, so they get no finding.
    return perCell(snapshot, 'AWS::KMS::Key', (_cell, resources) =>
      resources
        .filter((resource) => rotationApplies(resource.configuration as Partial<KeyItem>))
        .filter((resource) => {
          const primary = primaryOf(resource.configuration as Partial<KeyItem>)
          return primary === undefined || !keys.has(primary)
        })
        .map((resource) => {
          const item = resource.configuration as Partial<KeyItem>
          const label = `key ${resource.id}${resource.name !== resource.id ? ` (${resource.name})` : ''}`
          if (item.KeyRotationEnabled === undefined) return {resource, verdict: unknown(`the rotation status of ${label} was not recorded`)}
          if (item.KeyRotationEnabled) {
            return {resource, verdict: pass(`automatic rotation on${item.RotationPeriodInDays ? `, every ${item.RotationPeriodInDays} days` : ''}`)}
          }

          const age = ageInDays(resource.createdAt, snapshot)
          const created = age === undefined ? '' : `; the key was created ${counted(age, 'day')} before capture`
          const primary = primaryOf(item)
          if (primary !== undefined) {
            return {
              resource,
              verdict: fail(
                `${label} is a multi-Region replica of ${primary}, whose automatic rotation is off (it is set on the primary)${created}`,
                `aws kms enable-key-rotation --key-id ${primary} --region ${primary.split(':')[3] ?? '<primary-region>'}`,
              ),
            }
          }

          return {resource, verdict: fail(`${label} has automatic rotation off${created}`, `aws kms enable-key-rotation --key-id ${resource.id} --region ${resource.region}`)}
        }),
    )
  },
}
