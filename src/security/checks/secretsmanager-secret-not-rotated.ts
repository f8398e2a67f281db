import type {RotationRulesType} from '@aws-sdk/client-secrets-manager'

import type {Resource} from '../../resources/types.js'
import {ageInDays, fail, pass, perResource, unknown, type Verdict} from '../evaluate.js'
import type {Check, ScanSnapshot} from '../types.js'
import {counted} from '../../words.js'

/** The longest a secret may go without a new value. */
const maxDays = 90

/** What the check reads of a stored secret (the ListSecrets entry, dates as ISO strings). */
interface StoredSecret {
  Name?: string
  RotationEnabled?: boolean
  RotationRules?: RotationRulesType
  LastRotatedDate?: string
  CreatedDate?: string
  DeletedDate?: string
  PrimaryRegion?: string
}

const schedule = `--rotation-rules '{"ScheduleExpression":"rate(${maxDays} days)"}'`

export const secretsmanagerSecretNotRotated: Check = {
  id: 'secretsmanager-secret-not-rotated',
  title: `Secrets Manager secrets rotate automatically at least every ${maxDays} days`,
  severity: 'medium',
  resourceTypes: ['AWS::SecretsManager::Secret'],
  risk: 'A secret that never changes stays valid for as long as anyone who ever saw it (a former employee, a leaked log, a copied config file) keeps it; rotation limits how long a leaked value is useful.',
  remediation: {
    text: `Turn on automatic rotation with a schedule of ${maxDays} days or less (a rotation function, or managed rotation for secrets an AWS service owns). If rotation is on but does not happen, fix the rotation function.`,
    cli: `aws secretsmanager rotate-secret --secret-id <secret-name> --rotation-lambda-arn <rotation-function-arn> ${schedule} --region <region>`,
  },

  evaluate(snapshot) {
    return perResource(snapshot, 'AWS::SecretsManager::Secret', (resource) => judgeSecret(resource, snapshot))
  },
}

function judgeSecret(resource: Resource, snapshot: ScanSnapshot): Verdict {
  const secret = resource.configuration as StoredSecret
  // A replica takes its value and its rotation from the primary: rotation is set up there.
  const rotate = (...options: string[]) =>
    ['aws secretsmanager rotate-secret', `--secret-id ${secret.Name ?? resource.name}`, ...options, `--region ${secret.PrimaryRegion ?? resource.region}`].join(' ')
  if (secret.DeletedDate) return pass(`scheduled for deletion on ${secret.DeletedDate}: its value can no longer be read`)

  const age = ageInDays(secret.LastRotatedDate ?? secret.CreatedDate, snapshot)
  const since = age === undefined ? undefined : secret.LastRotatedDate ? `last rotated ${counted(age, 'day')} before capture` : `never rotated, created ${counted(age, 'day')} before capture`
  if (secret.RotationEnabled !== true) {
    return fail(`rotation is not enabled${since === undefined ? '' : ` (${since})`}`, rotate('--rotation-lambda-arn <rotation-function-arn>', schedule))
  }

  const interval = rotationIntervalDays(secret.RotationRules)
  // Only the schedule changes: without --no-rotate-immediately, the call would also rotate the secret now.
  if (interval !== undefined && interval > maxDays) return fail(`rotation is enabled but only every ${counted(interval, 'day')}`, rotate(schedule, '--no-rotate-immediately'))
  if (since === undefined || age === undefined) return unknown('rotation is enabled, but the secret has neither a last rotation nor a creation date')
  // Rotation is on but has not produced a new value in time: the rotation function is failing.
  if (age > maxDays) return fail(`rotation is enabled but has not happened: ${since}`, `${rotate()}  # rotates now; check the rotation function's logs if it fails`)
  return pass(`rotation is enabled${interval === undefined ? '' : ` every ${counted(interval, 'day')}`}; ${since}`)
}

/** Days between rotations, from the rotation rules where they say (a `cron()` schedule is not read). */
function rotationIntervalDays(rules: RotationRulesType | undefined): number | undefined {
  const rate = /^rate\((\d+) (hours?|days?)\)$/.exec(rules?.ScheduleExpression?.trim() ?? '')
  if (rate) return rate[2]!.startsWith('hour') ? Number(rate[1]) / 24 : Number(rate[1])
  return rules?.AutomaticallyAfterDays
}
