import {apiResource, isoDate, nameFromTags, regionalArn, tagsFromList} from '../normalize.js'
import type {CollectContext, Relationship, RelationshipKind, Resource} from '../types.js'

/** The resource-type segment of the ARN of each EC2 spec type (`arn:…:ec2:region:account:<segment>/<id>`). */
const arnSegments: Readonly<Record<string, string>> = {
  'AWS::EC2::EIP': 'elastic-ip',
  'AWS::EC2::FlowLog': 'vpc-flow-log',
  'AWS::EC2::Instance': 'instance',
  'AWS::EC2::InternetGateway': 'internet-gateway',
  'AWS::EC2::KeyPair': 'key-pair',
  'AWS::EC2::LaunchTemplate': 'launch-template',
  'AWS::EC2::NatGateway': 'natgateway',
  'AWS::EC2::NetworkAcl': 'network-acl',
  'AWS::EC2::NetworkInterface': 'network-interface',
  'AWS::EC2::RouteTable': 'route-table',
  'AWS::EC2::SecurityGroup': 'security-group',
  'AWS::EC2::Snapshot': 'snapshot',
  'AWS::EC2::Subnet': 'subnet',
  'AWS::EC2::Volume': 'volume',
  'AWS::EC2::VPC': 'vpc',
  'AWS::EC2::VPCEndpoint': 'vpc-endpoint',
}

/** Where an ARN lives: partition, region and account. */
export type ArnLocation = Pick<CollectContext, 'partition' | 'region' | 'accountId'>

/**
 * The ARN of an EC2 resource of spec `type` with the given id (the key pair's *name* for key pairs).
 * EBS snapshot ARNs carry no account (`arn:aws:ec2:us-east-1::snapshot/snap-…`), as AWS writes them.
 */
export function ec2Arn(where: ArnLocation, type: string, id: string): string {
  const segment = arnSegments[type]
  if (segment === undefined) throw new Error(`no EC2 ARN format for ${type}`)
  return regionalArn(type === 'AWS::EC2::Snapshot' ? {...where, accountId: ''} : where, 'ec2', `${segment}/${id}`)
}

/** The partition, region and account of a canonical resource (the partition is read from its own ARN). */
export function locationOf(resource: Pick<Resource, 'arn' | 'region' | 'accountId'>): ArnLocation {
  const partition = resource.arn.split(':')[1]
  return {partition: partition === undefined || partition === '' ? 'aws' : partition, region: resource.region, accountId: resource.accountId}
}

/**
 * Edges from `resource` to EC2 resources of spec `type` in the same partition and region, one per
 * non-empty id. `accountId` overrides the account where the target belongs to another one (e.g. a
 * security group referenced across a peering connection).
 */
export function ec2Edges(
  resource: Pick<Resource, 'arn' | 'region' | 'accountId'>,
  type: string,
  ids: Iterable<string | undefined | null>,
  kind: RelationshipKind,
  accountId?: string,
): Relationship[] {
  const where = locationOf(resource)
  if (accountId !== undefined && accountId !== '') where.accountId = accountId
  const edges: Relationship[] = []
  for (const id of ids) if (id !== undefined && id !== null && id !== '') edges.push({type, arn: ec2Arn(where, type, id), id, kind})
  return edges
}

/** The edges without repeats (same kind to the same target), first occurrence kept. */
export function uniqueRelationships(edges: Iterable<Relationship>): Relationship[] {
  const seen = new Set<string>()
  const unique: Relationship[] = []
  for (const edge of edges) {
    const key = `${edge.kind}|${edge.type}|${edge.arn ?? ''}|${edge.id ?? ''}`
    if (seen.has(key)) continue
    seen.add(key)
    unique.push(edge)
  }

  return unique
}

/** What an EC2 spec knows about one item beyond the item itself. */
export interface Ec2ResourceFields {
  /** The AWS id. */
  id: string
  /** The item's `[{Key, Value}]` tag list. */
  tags: ReadonlyArray<{Key?: string; Value?: string}> | undefined
  /** The real creation time, where the API reports one. */
  createdAt?: Date | string | null
  /** The ARN the API returned, if any (otherwise it is built from the id). */
  arn?: string
  /** The id to build the ARN from, where it is not the AWS id (key pairs use their name). */
  arnId?: string
  /** Natural name used when there is no `Name` tag (default: the id). */
  name?: string
}

/** The canonical resource of an EC2 item: tags from its list, `Name` tag first, ARN as AWS writes it. */
export function ec2Resource(ctx: CollectContext, type: string, item: object, fields: Ec2ResourceFields): Resource {
  const tags = tagsFromList(fields.tags)
  return apiResource(ctx, {
    arn: fields.arn ?? ec2Arn(ctx, type, fields.arnId ?? fields.id),
    type,
    id: fields.id,
    name: nameFromTags(tags, fields.name || fields.id),
    createdAt: isoDate(fields.createdAt),
    tags,
    configuration: item,
  })
}
