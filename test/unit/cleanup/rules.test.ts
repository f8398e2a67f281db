import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {
  checkAccountAllowed,
  emptyRules,
  loadRulesFile,
  matchGlob,
  matchRules,
  parseProtectTag,
  parseRulesText,
  resolveProtectionRules,
  resolveSelection,
  selects,
} from '../../../src/cleanup/rules.js'
import {UserError} from '../../../src/errors.js'
import {cleanupOptions} from '../../../src/cleanup-flags.js'

const file = '.awsinv-cleanup.yaml'
const knownTypes = ['AWS::EC2::Instance', 'AWS::EC2::VPC', 'AWS::IAM::Role', 'AWS::S3::Bucket']
const parse = (text: string) => parseRulesText(text, file, knownTypes)
const now = new Date('2026-06-01T00:00:00Z')

/** The UserError `work` throws; fails the test when it throws nothing or something else. */
function userError(work: () => unknown): UserError {
  try {
    work()
  } catch (error) {
    expect(error).toBeInstanceOf(UserError)
    return error as UserError
  }

  throw new Error('expected a UserError')
}

describe('parseRulesText', () => {
  it('reads every key of the schema, each rule remembering its file', () => {
    const rules = parse(`
protection:
  tags:
    - key: env
      value: prod*
    - key: keep
    - owner=*
  types: ["AWS::IAM::*", aws::s3::bucket]
  names: [prod-*, "sg-0abc"]
  age_days_minimum: 30
accounts:
  allow: ["111111111111", "222222222222"]
  deny: ["333333333333"]
max_deletions: 50
`)
    expect(rules).toEqual({
      file,
      tags: [
        {key: 'env', value: 'prod*', source: file},
        {key: 'keep', value: '*', source: file},
        {key: 'owner', value: '*', source: file},
      ],
      types: [
        {pattern: 'AWS::IAM::*', source: file},
        {pattern: 'aws::s3::bucket', source: file},
      ],
      names: [
        {pattern: 'prod-*', source: file},
        {pattern: 'sg-0abc', source: file},
      ],
      ageDaysMinimum: {days: 30, source: file},
      accounts: {allow: ['111111111111', '222222222222'], deny: ['333333333333'], source: file},
      maxDeletions: {limit: 50, source: file},
    })
  })

  it('reads an empty file, and empty keys, as no rules', () => {
    expect(parse('')).toEqual({...emptyRules(), file})
    expect(parse('# nothing yet\n')).toEqual({...emptyRules(), file})
    expect(parse('protection:\naccounts:\nmax_deletions:\n')).toEqual({...emptyRules(), file})
    expect(parse('protection:\n  tags:\n  age_days_minimum:\n')).toEqual({...emptyRules(), file})
  })

  it('accepts 0 for the age and the deletion limit', () => {
    const rules = parse('protection:\n  age_days_minimum: 0\nmax_deletions: 0\n')
    expect(rules.ageDaysMinimum).toEqual({days: 0, source: file})
    expect(rules.maxDeletions).toEqual({limit: 0, source: file})
  })

  it('takes unquoted account ids as written, with the leading zeros YAML drops', () => {
    const rules = parse('accounts:\n  allow: [012345678901, 123456789012]\n  deny:\n    - 000000000001\n')
    expect(rules.accounts.allow).toEqual(['012345678901', '123456789012'])
    expect(rules.accounts.deny).toEqual(['000000000001'])
  })

  it('reads account ids and numbers through aliases as written', () => {
    const rules = parse('accounts:\n  deny: &ids [012345678901]\n  allow: *ids\nprotection:\n  age_days_minimum: &n 030\nmax_deletions: *n\n')
    expect(rules.accounts).toEqual({allow: ['012345678901'], deny: ['012345678901'], source: file})
    expect(rules.ageDaysMinimum?.days).toBe(30)
    expect(rules.maxDeletions?.limit).toBe(30)
    expect(() => parse('accounts:\n  deny: &ids [1e11]\n  allow: *ids\n')).toThrow(/accounts\.allow entry 1 must be a 12-digit account id, got 1e11\./)
  })

  it('reads leading zeros as decimal even under a %YAML 1.1 header, whose parser would read octal', () => {
    const rules = parse('%YAML 1.1\n---\naccounts:\n  deny: [012345678901]\nprotection:\n  age_days_minimum: 010\nmax_deletions: 0100\n')
    expect(rules.ageDaysMinimum?.days).toBe(10)
    expect(rules.maxDeletions?.limit).toBe(100)
    expect(rules.accounts.deny).toEqual(['012345678901'])
  })

  it.each([
    // An 11-digit typo is not padded into someone else's account id; other notations are not converted.
    ['accounts:\n  deny: [12345678901]\n', '.awsinv-cleanup.yaml: accounts.deny entry 1 must be a 12-digit account id, got 12345678901.'],
    ['accounts:\n  deny: ["12345678901"]\n', '.awsinv-cleanup.yaml: accounts.deny entry 1 must be a 12-digit account id, got "12345678901".'],
    ['accounts:\n  allow: [1e11]\n', '.awsinv-cleanup.yaml: accounts.allow entry 1 must be a 12-digit account id, got 1e11.'],
    ['accounts:\n  allow: [0x1CBE991A14]\n', '.awsinv-cleanup.yaml: accounts.allow entry 1 must be a 12-digit account id, got 0x1CBE991A14.'],
    ['accounts:\n  allow: [123456789012.0]\n', '.awsinv-cleanup.yaml: accounts.allow entry 1 must be a 12-digit account id, got 123456789012.0.'],
    ['accounts:\n  allow: [0o1234567]\n', '.awsinv-cleanup.yaml: accounts.allow entry 1 must be a 12-digit account id, got 0o1234567.'],
    ['accounts:\n  allow: [+123456789012]\n', '.awsinv-cleanup.yaml: accounts.allow entry 1 must be a 12-digit account id, got +123456789012.'],
    ['accounts:\n  allow: [1.23456789012e11]\n', '.awsinv-cleanup.yaml: accounts.allow entry 1 must be a 12-digit account id, got 1.23456789012e11.'],
    ['accounts:\n  allow: [" 123456789012"]\n', '.awsinv-cleanup.yaml: accounts.allow entry 1 must be a 12-digit account id, got " 123456789012".'],
    ['max_deletions: 1e2\n', '.awsinv-cleanup.yaml: max_deletions must be a whole number of 0 or more, got 1e2: write it in decimal digits, as 100.'],
    ['max_deletions: 0x10\n', '.awsinv-cleanup.yaml: max_deletions must be a whole number of 0 or more, got 0x10: write it in decimal digits, as 16.'],
    ['max_deletions: 2.0\n', '.awsinv-cleanup.yaml: max_deletions must be a whole number of 0 or more, got 2.0: write it in decimal digits, as 2.'],
    ['max_deletions: +5\n', '.awsinv-cleanup.yaml: max_deletions must be a whole number of 0 or more, got +5: write it in decimal digits, as 5.'],
    ['max_deletions: 0o17\n', '.awsinv-cleanup.yaml: max_deletions must be a whole number of 0 or more, got 0o17: write it in decimal digits, as 15.'],
    ['max_deletions: .inf\n', '.awsinv-cleanup.yaml: max_deletions must be a whole number of 0 or more, got .inf.'],
    ['max_deletions: 99999999999999999999\n', '.awsinv-cleanup.yaml: max_deletions must be a whole number of 0 or more, got 99999999999999999999.'],
    ['protection:\n  age_days_minimum: 3e1\n', '.awsinv-cleanup.yaml: protection.age_days_minimum must be a whole number of 0 or more, got 3e1: write it in decimal digits, as 30.'],
    ['protection:\n  age_days_minimum: -0\n', '.awsinv-cleanup.yaml: protection.age_days_minimum must be a whole number of 0 or more, got -0: write it in decimal digits, as 0.'],
  ])('refuses numbers not written as plain decimal digits: %j', (text, message) => {
    expect(() => parse(text)).toThrow(new UserError(message))
  })

  it('keeps an empty allow list (no account allowed) apart from no list (any account)', () => {
    expect(parse('accounts:\n  allow: []\n').accounts).toEqual({allow: [], deny: [], source: file})
    expect(parse('accounts:\n  deny: ["333333333333"]\n').accounts).toEqual({allow: null, deny: ['333333333333'], source: file})
  })

  it.each([
    ['protection: [\n', /^\.awsinv-cleanup\.yaml: not valid YAML: .*line \d+, column \d+$/],
    ['max_deletions: 1\nmax_deletions: 2\n', /^\.awsinv-cleanup\.yaml: not valid YAML: .*unique/i],
    ['- protection\n', /^\.awsinv-cleanup\.yaml: the document must be a mapping/],
    ['protect:\n  tags: []\n', /unknown key "protect" \(expected protection, accounts, max_deletions\)/],
    ['protection:\n  tag: []\n', /unknown key "protection\.tag" \(expected protection\.tags, protection\.types, protection\.names, protection\.age_days_minimum\)/],
    ['protection: yes\n', /protection must be a mapping/],
    ['protection:\n  tags: env=prod\n', /protection\.tags must be a list/],
    ['protection:\n  tags:\n    - {key: env, vale: prod}\n', /protection\.tags entry 1: unknown key "vale" \(expected key, value\)/],
    ['protection:\n  tags:\n    - {value: prod}\n', /protection\.tags entry 1: "key" must be a non-empty string/],
    ['protection:\n  tags:\n    - {key: "  "}\n', /protection\.tags entry 1: "key" must be a non-empty string/],
    ['protection:\n  tags:\n    - {key: env, value: 5}\n', /protection\.tags entry 1: "value" must be a string \(a glob\), got 5/],
    ['protection:\n  tags:\n    - env\n', /protection\.tags entry 1 "env" must be KEY=VALUE or a mapping with key and value/],
    ['protection:\n  tags:\n    - 7\n', /protection\.tags entry 1 must be a mapping with key, value, got 7/],
    ['protection:\n  types: AWS::IAM::Role\n', /protection\.types must be a list/],
    ['protection:\n  types: [3]\n', /protection\.types entry 1 must be a non-empty glob string, got 3/],
    ['protection:\n  types: ["AWS::EC2::Instances"]\n', /protection\.types entry 1 "AWS::EC2::Instances" matches no resource type\. Did you mean "AWS::EC2::Instance"\? Use type ids/],
    ['protection:\n  names: [""]\n', /protection\.names entry 1 must be a non-empty glob string/],
    ['protection:\n  age_days_minimum: -1\n', /protection\.age_days_minimum must be a whole number of 0 or more, got -1/],
    ['protection:\n  age_days_minimum: 1.5\n', /protection\.age_days_minimum must be a whole number/],
    ['protection:\n  age_days_minimum: "30"\n', /protection\.age_days_minimum must be a whole number of 0 or more, got "30"/],
    ['accounts: ["123456789012"]\n', /accounts must be a mapping with allow, deny/],
    ['accounts:\n  allowed: []\n', /unknown key "accounts\.allowed" \(expected accounts\.allow, accounts\.deny\)/],
    ['accounts:\n  deny: "123456789012"\n', /accounts\.deny must be a list/],
    ['accounts:\n  allow: ["12345"]\n', /accounts\.allow entry 1 must be a 12-digit account id, got "12345"/],
    ['accounts:\n  deny: [1234567890123]\n', /accounts\.deny entry 1 must be a 12-digit account id, got 1234567890123/],
    ['max_deletions: many\n', /max_deletions must be a whole number of 0 or more, got "many"/],
  ])('refuses %j naming the file and the key', (text, message) => {
    const error = userError(() => parse(text))
    expect(error.message).toMatch(/^\.awsinv-cleanup\.yaml: /)
    expect(error.message).toMatch(message)
  })

  it('checks type globs against the registry by default', () => {
    expect(parseRulesText('protection:\n  types: ["AWS::Lambda::*"]\n', file).types).toHaveLength(1)
    expect(() => parseRulesText('protection:\n  types: ["AWS::Nope::*"]\n', file)).toThrow(/matches no resource type/)
  })
})

describe('parseProtectTag', () => {
  it('splits at the first =, trimming, the value a glob', () => {
    expect(parseProtectTag('env=prod*')).toEqual({key: 'env', value: 'prod*', source: '--protect-tag'})
    expect(parseProtectTag(' owner = * ')).toEqual({key: 'owner', value: '*', source: '--protect-tag'})
    expect(parseProtectTag('expr=a=b')).toEqual({key: 'expr', value: 'a=b', source: '--protect-tag'})
    expect(parseProtectTag('empty=')).toEqual({key: 'empty', value: '', source: '--protect-tag'})
  })

  it.each(['env', '=prod', ' =x', ''])('refuses %j', (value) => {
    expect(userError(() => parseProtectTag(value)).message).toMatch(/^Malformed --protect-tag ".*": expected KEY=VALUE/)
  })
})

describe('loading rules', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'awsinv-rules-'))

  it('reads the default file from the working directory when present, nothing otherwise', () => {
    const cwd = dir()
    expect(loadRulesFile(undefined, cwd, knownTypes)).toBeUndefined()
    writeFileSync(join(cwd, file), 'max_deletions: 3\n')
    expect(loadRulesFile(undefined, cwd, knownTypes)?.maxDeletions).toEqual({limit: 3, source: file})
  })

  it('reads an explicit file relative to the working directory, or absolute; refuses a missing one', () => {
    const cwd = dir()
    mkdirSync(join(cwd, 'conf'))
    writeFileSync(join(cwd, 'conf', 'rules.yaml'), 'protection:\n  names: [keep-*]\n')
    expect(loadRulesFile('conf/rules.yaml', cwd, knownTypes)?.names).toEqual([{pattern: 'keep-*', source: 'conf/rules.yaml'}])
    expect(loadRulesFile(join(cwd, 'conf', 'rules.yaml'), '/', knownTypes)?.names).toHaveLength(1)
    expect(userError(() => loadRulesFile('missing.yaml', cwd, knownTypes)).message).toBe('Rules file "missing.yaml" not found.')
  })

  it('refuses a rules "file" that cannot be read', () => {
    const cwd = dir()
    mkdirSync(join(cwd, 'folder.yaml'))
    expect(userError(() => loadRulesFile('folder.yaml', cwd, knownTypes)).message).toMatch(/^Cannot read rules file "folder\.yaml": /)
  })

  it('merges --protect-tag after the file’s tag rules', () => {
    const cwd = dir()
    writeFileSync(join(cwd, file), 'protection:\n  tags: [{key: env, value: prod}]\n')
    const rules = resolveProtectionRules({cwd, protectTags: ['owner=*'], knownTypes})
    expect(rules.file).toBe(file)
    expect(rules.tags).toEqual([
      {key: 'env', value: 'prod', source: file},
      {key: 'owner', value: '*', source: '--protect-tag'},
    ])
  })

  it('gives the flags alone when there is no file, and refuses a malformed flag', () => {
    const cwd = dir()
    expect(resolveProtectionRules({cwd, protectTags: ['keep=yes']})).toEqual({...emptyRules(), tags: [{key: 'keep', value: 'yes', source: '--protect-tag'}]})
    expect(() => resolveProtectionRules({cwd, protectTags: ['keep']})).toThrow(UserError)
  })
})

describe('selection', () => {
  it('validates --type globs against the known types, case-insensitively, and --region values', () => {
    expect(resolveSelection({types: ['aws::ec2::*,AWS::IAM::Role', 'AWS::IAM::Role'], regions: ['us-east-1', 'global']}, knownTypes)).toEqual({
      types: ['AWS::IAM::Role', 'aws::ec2::*'],
      regions: ['global', 'us-east-1'],
    })
    expect(resolveSelection({}, knownTypes)).toEqual({types: null, regions: null})
    expect(resolveSelection({types: [], regions: []}, knownTypes)).toEqual({types: null, regions: null})
    expect(userError(() => resolveSelection({types: ['AWS::EC2::Instances']}, knownTypes)).message).toMatch(/^--type "AWS::EC2::Instances" matches no resource type\. Did you mean "AWS::EC2::Instance"\? Use/)
    expect(userError(() => resolveSelection({regions: ['us-east']}, knownTypes)).message).toMatch(/^--region "us-east" is not a region/)
    expect(resolveSelection({regions: ['us-gov-west-1', 'ap-southeast-5']}, knownTypes).regions).toEqual(['ap-southeast-5', 'us-gov-west-1'])
    expect(resolveSelection({regions: ['US-EAST-1', 'Global']}, knownTypes).regions).toEqual(['global', 'us-east-1'])
  })

  it('refuses an empty --type or --region (an unset shell variable) as a usage error, rather than selecting everything', () => {
    for (const empty of ['', ' ', ',', ' , ']) {
      const type = userError(() => cleanupOptions({type: [empty]}))
      expect(type.message).toBe(`--type ${JSON.stringify(empty)} is empty: give one or more services, type ids or globs (e.g. ec2,AWS::IAM::*), or leave --type out.`)
      expect(type.exitCode).toBe(2)
      const region = userError(() => cleanupOptions({type: ['sqs'], region: ['us-east-1', empty]}))
      expect(region.message).toBe(`--region ${JSON.stringify(empty)} is empty: give one or more regions (e.g. us-east-1,global), or leave --region out.`)
      expect(region.exitCode).toBe(2)
    }

    // A trailing comma next to a value is fine.
    expect(cleanupOptions({type: ['AWS::EC2::VPC,'], region: ['us-east-1,']}).selection).toEqual({types: ['AWS::EC2::VPC'], regions: ['us-east-1']})
  })

  it('takes a service name for its types, as snapshot create does, and names the service a typo is of', () => {
    expect(resolveSelection({types: ['EC2', 'AWS::IAM::*']}, knownTypes).types).toEqual(['AWS::EC2::Instance', 'AWS::EC2::VPC', 'AWS::IAM::*'])
    expect(userError(() => resolveSelection({types: ['ec3']}, knownTypes)).message).toBe(
      '--type "ec3" matches no resource type. Did you mean "ec2"? Use services, type ids or globs such as sqs, AWS::EC2::Instance or AWS::IAM::*.',
    )
  })

  it('refuses a --type that selects only types awsinv never deletes', () => {
    const withSettings = [...knownTypes, 'Account::Config::RecorderStatus', 'Account::EC2::EbsEncryptionByDefault']
    expect(userError(() => resolveSelection({types: ['config']}, withSettings)).message).toBe(
      '--type config selects only types awsinv does not delete (Account::Config::RecorderStatus): nothing could be planned.',
    )
    expect(userError(() => resolveSelection({types: ['Account::*']}, withSettings)).message).toMatch(/^--type Account::\* selects only types awsinv does not delete \(Account::Config::RecorderStatus, Account::EC2::EbsEncryptionByDefault\)/)
    expect(resolveSelection({types: ['Account::*', 'sqs']}, [...withSettings, 'AWS::SQS::Queue']).types).toEqual(['AWS::SQS::Queue', 'Account::*'])
    // A service stands for its resource types, not its account settings (never considered).
    expect(resolveSelection({types: ['iam']}, [...knownTypes, 'Account::IAM::PasswordPolicy']).types).toEqual(['AWS::IAM::Role'])
  })

  it('refuses a --type and --region that together select nothing', () => {
    expect(userError(() => resolveSelection({types: ['iam'], regions: ['us-east-1']}, knownTypes)).message).toBe(
      '--type iam selects only global types, which --region us-east-1 leaves out: add --region global.',
    )
    expect(userError(() => resolveSelection({types: ['AWS::EC2::*', 'AWS::S3::Bucket'], regions: ['global']}, knownTypes)).message).toBe(
      '--type AWS::EC2::*, AWS::S3::Bucket selects only regional types, which --region global leaves out: name their regions, or leave --region out.',
    )
    expect(resolveSelection({types: ['iam'], regions: ['us-east-1', 'global']}, knownTypes).regions).toEqual(['global', 'us-east-1'])
    expect(resolveSelection({types: ['AWS::IAM::Role', 'AWS::EC2::VPC'], regions: ['us-east-1']}, knownTypes).types).toEqual(['AWS::EC2::VPC', 'AWS::IAM::Role'])
    expect(resolveSelection({types: ['AWS::IAM::Role', 'AWS::EC2::VPC'], regions: ['global']}, knownTypes).regions).toEqual(['global'])
    expect(resolveSelection({types: ['AWS::*'], regions: ['global']}, knownTypes).types).toEqual(['AWS::*'])
  })

  it('selects by type glob and region; with regions, global types only when "global" is listed', () => {
    const role = {type: 'AWS::IAM::Role', region: 'global'}
    const vpcHere = {type: 'AWS::EC2::VPC', region: 'us-east-1'}
    expect(selects({types: null, regions: null}, role)).toBe(true)
    expect(selects({types: ['aws::ec2::*'], regions: null}, vpcHere)).toBe(true)
    expect(selects({types: ['AWS::EC2::*'], regions: null}, role)).toBe(false)
    expect(selects({types: null, regions: ['us-east-1']}, role)).toBe(false)
    expect(selects({types: null, regions: ['us-east-1', 'global']}, role)).toBe(true)
    expect(selects({types: null, regions: ['eu-west-1']}, vpcHere)).toBe(false)
  })
})

describe('matchGlob', () => {
  it('has * and ? and nothing else special', () => {
    expect(matchGlob('prod-*', 'prod-db')).toBe(true)
    expect(matchGlob('prod-*', 'xprod-db')).toBe(false)
    expect(matchGlob('v?', 'v1')).toBe(true)
    expect(matchGlob('v?', 'v12')).toBe(false)
    expect(matchGlob('*', '')).toBe(true)
    expect(matchGlob('a.b', 'axb')).toBe(false)
    expect(matchGlob('[x]', '[x]')).toBe(true)
    expect(matchGlob('Prod', 'prod')).toBe(false)
    expect(matchGlob('Prod', 'prod', true)).toBe(true)
  })
})

describe('matchRules', () => {
  const subject = {type: 'AWS::EC2::Instance', id: 'i-0abc', name: 'web-1', tags: {env: 'prod-eu', owner: ''} as Record<string, string> | null, createdAt: '2026-05-01T00:00:00.000Z'}
  const withRules = (overrides: Partial<ReturnType<typeof emptyRules>>) => ({...emptyRules(), ...overrides})

  it('protects by tag value glob; * matches any value, even empty; an absent key does not match', () => {
    const rules = withRules({
      tags: [
        {key: 'env', value: 'prod*', source: 'f'},
        {key: 'owner', value: '*', source: '--protect-tag'},
        {key: 'team', value: '*', source: 'f'},
        {key: 'env', value: 'dev', source: 'f'},
      ],
    })
    expect(matchRules(rules, subject, now)).toEqual([
      {kind: 'tag-rule', rule: 'env=prod*', source: 'f', explanation: 'tagged env=prod-eu, matching env=prod* (f)'},
      {kind: 'tag-rule', rule: 'owner=*', source: '--protect-tag', explanation: 'tagged owner=, matching owner=* (--protect-tag)'},
    ])
  })

  it('does not read tag keys from the object prototype', () => {
    const rules = withRules({tags: [{key: 'constructor', value: '*', source: 'f'}]})
    expect(matchRules(rules, subject, now)).toEqual([])
  })

  it('fails closed: every tag rule protects a resource whose tags could not be read', () => {
    const rules = withRules({tags: [{key: 'env', value: 'prod', source: 'f'}]})
    const reasons = matchRules(rules, {...subject, tags: null}, now)
    expect(reasons).toEqual([{kind: 'tag-rule', rule: 'env=prod', source: 'f', explanation: 'its tags could not be read, so tag rule env=prod (f) protects it'}])
    expect(matchRules(emptyRules(), {...subject, tags: null}, now)).toEqual([])
  })

  it('protects by type glob, case-insensitively', () => {
    const rules = withRules({types: [{pattern: 'aws::ec2::*', source: 'f'}, {pattern: 'AWS::IAM::*', source: 'f'}]})
    expect(matchRules(rules, subject, now)).toEqual([{kind: 'type-rule', rule: 'aws::ec2::*', source: 'f', explanation: 'type AWS::EC2::Instance matches aws::ec2::* (f)'}])
  })

  it('protects by name glob on the name, else the AWS id', () => {
    const rules = withRules({names: [{pattern: 'web-*', source: 'f'}, {pattern: 'i-0a*', source: 'f'}, {pattern: 'db-*', source: 'f'}]})
    expect(matchRules(rules, subject, now).map((r) => r.explanation)).toEqual(['name web-1 matches web-* (f)', 'id i-0abc matches i-0a* (f)'])
  })

  it('protects what is older than the minimum age, measured at the plan time; not what is exactly that old or younger', () => {
    const rules = withRules({ageDaysMinimum: {days: 30, source: 'f'}})
    expect(matchRules(rules, subject, now)).toEqual([
      {kind: 'age-rule', rule: '30 days', source: 'f', explanation: 'created 2026-05-01T00:00:00.000Z, 31 days ago: older than the 30-day minimum (f)'},
    ])
    expect(matchRules(rules, {...subject, createdAt: '2026-05-02T00:00:00.000Z'}, now)).toEqual([])
    expect(matchRules(rules, {...subject, createdAt: '2026-05-20T00:00:00.000Z'}, now)).toEqual([])

    // A minimum of 0 protects whatever is already there; an age under a day is said in hours.
    const zero = withRules({ageDaysMinimum: {days: 0, source: 'f'}})
    const hoursAgo = new Date(now.getTime() - 5 * 3_600_000 - 60_000).toISOString()
    expect(matchRules(zero, {...subject, createdAt: hoursAgo}, now).map((r) => r.explanation)).toEqual([`created ${hoursAgo}, 5 hours ago: older than the 0-day minimum (f)`])
    const minutesAgo = new Date(now.getTime() - 60_000).toISOString()
    expect(matchRules(zero, {...subject, createdAt: minutesAgo}, now).map((r) => r.explanation)).toEqual([`created ${minutesAgo}, less than an hour ago: older than the 0-day minimum (f)`])
  })

  it('fails closed on age: unknown or unreadable creation time protects', () => {
    const rules = withRules({ageDaysMinimum: {days: 30, source: 'f'}})
    for (const createdAt of [null, 'not a date']) {
      expect(matchRules(rules, {...subject, createdAt}, now)).toEqual([
        {kind: 'age-rule', rule: '30 days', source: 'f', explanation: 'its creation time is unknown, so the 30-day minimum age (f) protects it'},
      ])
    }
  })

  it('gives every matching rule, in the order tags, types, names, age', () => {
    const rules = withRules({
      ageDaysMinimum: {days: 1, source: 'f'},
      names: [{pattern: '*', source: 'f'}],
      types: [{pattern: '*', source: 'f'}],
      tags: [{key: 'env', value: '*', source: 'f'}],
    })
    expect(matchRules(rules, subject, now).map((r) => r.kind)).toEqual(['tag-rule', 'type-rule', 'name-rule', 'age-rule'])
  })
})

describe('checkAccountAllowed', () => {
  const rules = (allow: string[] | null, deny: string[]) => ({...emptyRules(), accounts: {allow, deny, source: file}})

  it('allows any account without lists', () => {
    expect(() => checkAccountAllowed(emptyRules(), '123456789012')).not.toThrow()
  })

  it('refuses a denied account, even when allowed too', () => {
    expect(userError(() => checkAccountAllowed(rules(['123456789012'], ['123456789012']), '123456789012')).message).toBe(
      'Account 123456789012 is in accounts.deny of .awsinv-cleanup.yaml: awsinv will not delete anything in it.',
    )
  })

  it('refuses an account missing from the allow list', () => {
    expect(userError(() => checkAccountAllowed(rules(['111111111111'], []), '123456789012')).message).toBe(
      'Account 123456789012 is not in accounts.allow of .awsinv-cleanup.yaml (111111111111): awsinv will not delete anything in it.',
    )
    expect(() => checkAccountAllowed(rules([], []), '123456789012')).toThrow(/\(empty\)/)
    expect(() => checkAccountAllowed(rules(['123456789012'], []), '123456789012')).not.toThrow()
  })
})
