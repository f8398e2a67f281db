import {describe, expect, it} from 'vitest'

import {classifyError} from '../../../src/aws/errors.js'
import {remedyFor} from '../../../src/collect/permissions.js'

describe('remedyFor', () => {
  it('points an operation the endpoint does not implement at --endpoint-url and --resource-types, not at retrying', () => {
    // What the SDK throws for the emulator's HTML 500 page (moto has no Access Analyzer).
    const page = Object.assign(new SyntaxError('Unexpected token \'<\', "<!doctype "... is not valid JSON\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.'), {
      $metadata: {httpStatusCode: 500},
    })
    const {message} = classifyError(page)
    expect(remedyFor('error', 'accessanalyzer', message)).toBe('The endpoint (--endpoint-url) does not seem to implement this call (emulators lack some services): leave the type out with --resource-types.')
    expect(remedyFor('error', 'ec2', 'We encountered an internal error.')).toBe('Retry; if it persists, run with --debug and report the error.')
  })

  it('names the permissions of the new services', () => {
    expect(remedyFor('access_denied', 'accessanalyzer', 'denied')).toBe('Grant access-analyzer:ListAnalyzers to the identity awsinv runs as.')
    expect(remedyFor('access_denied', 'iam', null)).toContain('iam:GenerateCredentialReport')
  })
})
