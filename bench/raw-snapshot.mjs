// The raw floor for `awsinv snapshot create`: the same list/describe calls through the AWS SDK at the
// same concurrency (8 cells at once, 4 per service, the same per-item batches), with no normalization
// and no storage. Prints {"calls": N, "items": M} on stdout.
// Usage: node bench/raw-snapshot.mjs ENDPOINT REGION[,REGION…]
import {EC2} from '@aws-sdk/client-ec2'
import {IAM} from '@aws-sdk/client-iam'
import {Lambda} from '@aws-sdk/client-lambda'
import {S3} from '@aws-sdk/client-s3'
import {SNS} from '@aws-sdk/client-sns'

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
const [endpoint, regionList] = process.argv.slice(2)
const regions = regionList.split(',')
const home = regions[0]
let calls = 0
let items = 0

const config = (region) => ({endpoint, region, retryMode: 'adaptive', maxAttempts: 5})
const counted = (client) => {
  client.middlewareStack.add((next) => (args) => (calls++, next(args)), {step: 'initialize'})
  return client
}

const clients = new Map()
const client = (Kind, region, extra = {}) => {
  const key = `${Kind.name}:${region}`
  if (!clients.has(key)) clients.set(key, counted(new Kind({...config(region), ...extra})))
  return clients.get(key)
}

async function pages(call, request, tokenIn, tokenOut, key) {
  const all = []
  let token
  do {
    const page = await call(token === undefined ? request : {...request, [tokenIn]: token})
    all.push(...(page[key] ?? []))
    token = page[tokenOut]
  } while (token)
  return all
}

async function batched(list, size, fn) {
  const out = []
  for (let i = 0; i < list.length; i += size) out.push(...(await Promise.all(list.slice(i, i + size).map(fn))))
  return out
}

const absent = (promise) => promise.catch((error) => (/NoSuch|NotFound/.test(error.name) ? undefined : Promise.reject(error)))

class Semaphore {
  active = 0
  waiting = []
  constructor(size) {
    this.size = size
  }

  async run(work) {
    if (this.active >= this.size) await new Promise((resolve) => this.waiting.push(resolve))
    else this.active++
    try {
      return await work()
    } finally {
      const next = this.waiting.shift()
      if (next) next()
      else this.active--
    }
  }
}

const ec2Calls = {
  describeVpcs: ['Vpcs', 1000],
  describeSubnets: ['Subnets', 1000],
  describeSecurityGroups: ['SecurityGroups', 1000],
  describeNetworkInterfaces: ['NetworkInterfaces', 1000],
  describeInternetGateways: ['InternetGateways', 1000],
  describeNatGateways: ['NatGateways', 1000],
  describeRouteTables: ['RouteTables', 100],
  describeNetworkAcls: ['NetworkAcls', 1000],
  describeVpcEndpoints: ['VpcEndpoints', 1000],
  describeFlowLogs: ['FlowLogs', 1000],
  describeInstances: ['Reservations', 1000],
  describeVolumes: ['Volumes', 1000],
  describeSnapshots: ['Snapshots', 1000, {OwnerIds: ['self']}],
  describeLaunchTemplates: ['LaunchTemplates', 200],
}

const cells = []
for (const region of regions) {
  for (const [method, [key, max, extra]] of Object.entries(ec2Calls)) {
    cells.push(['ec2', async () => {
      const ec2 = client(EC2, region)
      const found = await pages((r) => ec2[method](r), {MaxResults: max, ...extra}, 'NextToken', 'NextToken', key)
      items += found.length
    }])
  }

  cells.push(['ec2', async () => {
    const {KeyPairs = []} = await client(EC2, region).describeKeyPairs({})
    items += KeyPairs.length
  }])
  cells.push(['ec2', async () => {
    const {Addresses = []} = await client(EC2, region).describeAddresses({})
    items += Addresses.length
  }])
  cells.push(['sns', async () => {
    const sns = client(SNS, region)
    const topics = await pages((r) => sns.listTopics(r), {}, 'NextToken', 'NextToken', 'Topics')
    await batched(topics, 8, (t) =>
      Promise.all([sns.getTopicAttributes({TopicArn: t.TopicArn}), sns.listTagsForResource({ResourceArn: t.TopicArn})]),
    )
    items += topics.length
  }])
  cells.push(['lambda', async () => {
    const lambda = client(Lambda, region)
    const fns = await pages((r) => lambda.listFunctions(r), {}, 'Marker', 'NextMarker', 'Functions')
    await batched(fns, 8, (f) => lambda.listTags({Resource: f.FunctionArn}))
    items += fns.length
  }])
}

let bucketList
const listBuckets = () =>
  (bucketList ??= (async () => {
    const s3 = client(S3, home, {forcePathStyle: true})
    const buckets = await pages((r) => s3.listBuckets(r), {MaxBuckets: 1000}, 'ContinuationToken', 'ContinuationToken', 'Buckets')
    return batched(buckets, 8, async (b) => ({...b, region: b.BucketRegion || (await s3.getBucketLocation({Bucket: b.Name})).LocationConstraint || 'us-east-1'}))
  })())
for (const region of regions) {
  cells.push(['s3', async () => {
    const s3 = client(S3, region, {forcePathStyle: true})
    const mine = (await listBuckets()).filter((b) => b.region === region)
    await batched(mine, 8, (b) =>
      Promise.all([
        absent(s3.getBucketTagging({Bucket: b.Name})),
        absent(s3.getPublicAccessBlock({Bucket: b.Name})),
        absent(s3.getBucketPolicy({Bucket: b.Name})),
        absent(s3.getBucketEncryption({Bucket: b.Name})),
        s3.getBucketVersioning({Bucket: b.Name}),
        s3.getBucketLogging({Bucket: b.Name}),
      ]),
    )
    items += mine.length
  }])
}

const iam = client(IAM, home)
const iamList = (method, request, key) => pages((r) => iam[method](r), {MaxItems: 1000, ...request}, 'Marker', 'Marker', key)
cells.push(['iam', async () => {
  const users = await iamList('listUsers', {}, 'Users')
  await batched(users, 4, ({UserName}) =>
    Promise.all([
      iamList('listUserTags', {UserName}, 'Tags'),
      iamList('listAccessKeys', {UserName}, 'AccessKeyMetadata'),
      iamList('listMFADevices', {UserName}, 'MFADevices'),
      iamList('listGroupsForUser', {UserName}, 'Groups'),
      iamList('listAttachedUserPolicies', {UserName}, 'AttachedPolicies'),
      iamList('listUserPolicies', {UserName}, 'PolicyNames'),
      absent(iam.getLoginProfile({UserName})),
    ]),
  )
  items += users.length
}])
cells.push(['iam', async () => {
  const roles = await iamList('listRoles', {}, 'Roles')
  await batched(roles, 4, ({RoleName}) =>
    Promise.all([
      iamList('listRoleTags', {RoleName}, 'Tags'),
      iamList('listAttachedRolePolicies', {RoleName}, 'AttachedPolicies'),
      iamList('listRolePolicies', {RoleName}, 'PolicyNames'),
      iamList('listInstanceProfilesForRole', {RoleName}, 'InstanceProfiles'),
    ]),
  )
  items += roles.length
}])
cells.push(['iam', async () => {
  const groups = await iamList('listGroups', {}, 'Groups')
  await batched(groups, 4, ({GroupName}) =>
    Promise.all([iamList('listAttachedGroupPolicies', {GroupName}, 'AttachedPolicies'), iamList('listGroupPolicies', {GroupName}, 'PolicyNames')]),
  )
  items += groups.length
}])
cells.push(['iam', async () => {
  const policies = await iamList('listPolicies', {Scope: 'Local'}, 'Policies')
  await batched(policies, 4, (p) =>
    Promise.all([iam.getPolicyVersion({PolicyArn: p.Arn, VersionId: p.DefaultVersionId}), iamList('listPolicyTags', {PolicyArn: p.Arn}, 'Tags')]),
  )
  items += policies.length
}])
cells.push(['iam', async () => {
  const profiles = await iamList('listInstanceProfiles', {}, 'InstanceProfiles')
  await batched(profiles, 4, (p) => iam.getInstanceProfile({InstanceProfileName: p.InstanceProfileName}))
  items += profiles.length
}])

const overall = new Semaphore(8)
const perService = new Map()
await Promise.all(
  cells.map(([service, work]) => {
    if (!perService.has(service)) perService.set(service, new Semaphore(4))
    return perService.get(service).run(() => overall.run(work))
  }),
)
for (const c of clients.values()) c.destroy()
process.stdout.write(JSON.stringify({calls, items}) + '\n')
