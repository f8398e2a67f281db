import type {BucketItem} from '../../resources/s3/bucket.js'
import type {Resource} from '../../resources/types.js'
import {fail, pass, perResource, unknown} from '../evaluate.js'
import {type PolicyStatement, conditionValues, isEveryone, shellQuote, statementsOf, valuesOf} from '../policy-document.js'
import type {Check} from '../types.js'

/**
 * Whether an ARN pattern of a policy (`*` and `?` wildcards, case-sensitive) matches every ARN that starts
 * with `prefix`: every object of a bucket for `arn:aws:s3:::bucket/`. `arn:aws:s3:::bucket/*` and
 * `arn:aws:s3:::b*` do; `arn:aws:s3:::bucket/a*` does not, although it matches many keys.
 */
export function coversEveryArnFrom(pattern: string, prefix: string): boolean {
  // The pattern positions `prefix` can take it to (a `*` may match any run of characters, or none).
  const closure = (positions: Set<number>) => {
    for (const p of positions) if (pattern[p] === '*') positions.add(p + 1)
    return positions
  }

  let positions = closure(new Set([0]))
  for (const char of prefix) {
    const next = new Set<number>()
    for (const p of positions) {
      if (pattern[p] === '*') next.add(p)
      else if (pattern[p] === '?' || pattern[p] === char) next.add(p + 1)
    }

    positions = closure(next)
  }

  // Whatever follows the prefix matches when the rest of the pattern is only `*`.
  return [...positions].some((p) => /^\**$/.test(pattern.slice(p)) && pattern.slice(p).length > 0)
}

/**
 * Whether the statement denies S3 requests made without TLS: Deny, for everyone, every S3 action, on
 * `aws:SecureTransport` false. Its resources (see {@link coversEveryObject}) and other conditions (see
 * `otherConditions`) may narrow it.
 */
function deniesWithoutTls(statement: PolicyStatement): boolean {
  if (statement.Effect !== 'Deny' || !isEveryone(statement.Principal) || statement.NotAction !== undefined) return false
  if (!valuesOf(statement.Action).some((a) => a === '*' || a.toLowerCase() === 's3:*')) return false
  return conditionValues(statement, ['Bool', 'BoolIfExists'], 'aws:SecureTransport').some((v) => v.toLowerCase() === 'false')
}

/** Whether one of the statement's resources covers every object of the bucket. */
function coversEveryObject(statement: PolicyStatement, bucket: Resource): boolean {
  return valuesOf(statement.Resource).some((r) => coversEveryArnFrom(r, `${bucket.arn}/`))
}

/**
 * The statement's conditions besides `aws:SecureTransport` (`StringEquals aws:SourceVpce`): each must hold
 * too for the deny to apply, so with any of them requests without TLS are still allowed elsewhere.
 */
function otherConditions(statement: PolicyStatement): string[] {
  return Object.entries(statement.Condition ?? {}).flatMap(([operator, tests]) =>
    Object.keys(tests !== null && typeof tests === 'object' ? tests : {})
      .filter((key) => !(['Bool', 'BoolIfExists'].includes(operator) && key.toLowerCase() === 'aws:securetransport'))
      .map((key) => `${operator} ${key}`),
  )
}

/** The bucket's policy with a statement denying requests without TLS added (the whole policy: put-bucket-policy replaces it). */
function enforcedPolicy(bucket: Resource, current: unknown): string {
  const statements = statementsOf(current)
  const sids = new Set(statements.map((s) => s.Sid))
  let sid = 'DenyInsecureTransport'
  for (let n = 2; sids.has(sid); n++) sid = `DenyInsecureTransport${n}`
  const deny = {
    Sid: sid,
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [bucket.arn, `${bucket.arn}/*`],
    Condition: {Bool: {'aws:SecureTransport': 'false'}},
  }
  const base = current !== null && typeof current === 'object' ? (current as Record<string, unknown>) : {Version: '2012-10-17'}
  return JSON.stringify({...base, Statement: [...statements, deny]})
}

export const s3BucketTlsNotEnforced: Check = {
  id: 's3-bucket-tls-not-enforced',
  title: 'Every S3 bucket policy denies requests made without TLS',
  severity: 'medium',
  cis: {v4: '2.1.1', v7: '3.1.1'},
  resourceTypes: ['AWS::S3::Bucket'],
  risk: 'S3 accepts plain HTTP unless the bucket policy denies it: data and signed requests can then travel unencrypted and be read or tampered with on the way.',
  remediation: {
    text: 'Add a statement to the bucket policy that denies every S3 action to everyone when aws:SecureTransport is false (keep the existing statements).',
    cli: `aws s3api put-bucket-policy --bucket <bucket> --policy '{"Version":"2012-10-17","Statement":[<existing statements>,{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::<bucket>","arn:aws:s3:::<bucket>/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}'`,
  },

  evaluate(snapshot) {
    return perResource(snapshot, 'AWS::S3::Bucket', (resource) => {
      const policy = (resource.configuration as Partial<BucketItem>).Policy
      if (typeof policy === 'string') return unknown(`the bucket policy of ${resource.id} is not valid JSON and cannot be read`)
      const fix = `aws s3api put-bucket-policy --bucket ${resource.id} --policy ${shellQuote(enforcedPolicy(resource, policy))} --region ${resource.region}`
      if (policy === undefined) return fail(`bucket ${resource.id} has no bucket policy, so requests without TLS are allowed`, fix)
      const tlsDenies = statementsOf(policy).filter((s) => deniesWithoutTls(s))
      const denying = tlsDenies.filter((s) => coversEveryObject(s, resource))
      const enforcing = denying.find((s) => otherConditions(s).length === 0)
      if (enforcing !== undefined) return pass(`statement ${enforcing.Sid ?? '(no Sid)'} denies requests with aws:SecureTransport false`)
      const [narrowed] = denying
      if (narrowed !== undefined) {
        return fail(`statement ${narrowed.Sid ?? '(no Sid)'} of the bucket policy of ${resource.id} denies requests without TLS only under further conditions (${otherConditions(narrowed).join(', ')})`, fix)
      }

      const [partial] = tlsDenies
      if (partial !== undefined) {
        const resources = valuesOf(partial.Resource).join(', ') || '(none)'
        return fail(`statement ${partial.Sid ?? '(no Sid)'} of the bucket policy of ${resource.id} denies requests without TLS, but not to every object (Resource ${resources})`, fix)
      }

      return fail(`the bucket policy of ${resource.id} has no statement denying all S3 actions to everyone when aws:SecureTransport is false`, fix)
    })
  },
}
