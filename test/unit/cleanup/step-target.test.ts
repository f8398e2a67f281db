import {describe, expect, it} from 'vitest'

import {identityProblem} from '../../../src/cleanup/step-target.js'

describe('identityProblem', () => {
  const queue = (id: string) => ({arn: 'arn:aws:sqs:us-east-1:123456789012:forge-target', id, name: 'forge-target'})

  it('accepts an id its ARN ends with, or whose last segment it ends with (a queue URL), or the ARN itself', () => {
    expect(identityProblem(queue('https://sqs.us-east-1.amazonaws.com/123456789012/forge-target'))).toBeUndefined()
    expect(identityProblem({arn: 'arn:aws:s3:::sbx-logs', id: 'sbx-logs', name: 'sbx-logs'})).toBeUndefined()
    expect(identityProblem({arn: 'arn:aws:iam::123456789012:role/service/app', id: 'app', name: 'app'})).toBeUndefined()
    expect(identityProblem({arn: 'arn:aws:ec2:us-east-1::snapshot/snap-0abc', id: 'snap-0abc', name: 'snap-0abc'})).toBeUndefined()
    const secret = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf'
    expect(identityProblem({arn: secret, id: secret, name: 'db'})).toBeUndefined()
  })

  it('refuses the id of another resource, also one the ARN merely ends with the text of', () => {
    expect(identityProblem(queue('https://sqs.us-east-1.amazonaws.com/123456789012/victim'))).toBe(
      'its id "https://sqs.us-east-1.amazonaws.com/123456789012/victim" is not the resource its ARN arn:aws:sqs:us-east-1:123456789012:forge-target names',
    )
    expect(identityProblem(queue('target'))).toMatch(/^its id "target" is not the resource/)
    expect(identityProblem(queue(''))).toMatch(/^its id "" is not the resource/)
  })

  it('checks the name of a type whose ARN names it by its name (an EC2 key pair)', () => {
    const keyPair = {arn: 'arn:aws:ec2:us-east-1:123456789012:key-pair/sbx-kp', id: 'key-0abc', name: 'sbx-kp'}
    expect(identityProblem(keyPair, true)).toBeUndefined()
    expect(identityProblem({...keyPair, name: 'prod-kp'}, true)).toBe('its name "prod-kp" is not the resource its ARN arn:aws:ec2:us-east-1:123456789012:key-pair/sbx-kp names')
  })
})
