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
    // Only keys that rotation applies to are judged: enabled symmetric keys with KMS key material (the
    // collector keeps customer managed keys only). Asymmetric, HMAC, imported, custom key store, disabled
    // and pending-deletion keys cannot rotate automatically, so they get no finding.
    return perCell(snapshot, 'AWS::KMS::Key', (_cell, resources) =>
      resources
        .filter((resource) => rotationApplies(resource.configuration as Partial<KeyItem>))
        .map((resource) => {
          const item = resource.configuration as Partial<KeyItem>
          const label = `key ${resource.id}${resource.name !== resource.id ? ` (${resource.name})` : ''}`
          if (item.KeyRotationEnabled === undefined) return {resource, verdict: unknown(`the rotation status of ${label} was not recorded`)}
          if (item.KeyRotationEnabled) {
            return {resource, verdict: pass(`automatic rotation on${item.RotationPeriodInDays ? `, every ${item.RotationPeriodInDays} days` : ''}`)}
          }

          const age = ageInDays(resource.createdAt, snapshot)
          return {
            resource,
            verdict: fail(
              `${label} has automatic rotation off${age === undefined ? '' : `; the key was created ${counted(age, 'day')} before capture`}`,
              `aws kms enable-key-rotation --key-id ${resource.id} --region ${resource.region}`,
            ),
          }
        }),
    )
  },
}
