import type {BaseConfigurationItem} from '@aws-sdk/client-config-service'

import type {AwsClients} from '../aws/clients.js'
import type {Deleter} from '../cleanup/types.js'

/** Where a resource's data came from. */
export type ResourceSource = 'config' | 'api'

/** An edge from one resource to another, used for dependency ordering and navigation. */
export interface Relationship {
  /** Registered spec type of the target, e.g. `AWS::EC2::VPC`. */
  type: string
  /** The target's ARN where it is known. */
  arn?: string
  /** The target's AWS id (e.g. `vpc-0abc`, a role name) where the ARN is not known. */
  id?: string
  /**
   * What the edge means, read as "this resource <kind> target": `in` (contained in), `uses`,
   * `attached-to`, `associated-with` order deletions (this resource goes first); `references` is
   * informational only (e.g. a snapshot and the volume it was taken from).
   */
  kind: RelationshipKind
}

export type RelationshipKind = 'in' | 'uses' | 'attached-to' | 'references' | 'associated-with'

/** The canonical form of every collected resource, whichever source produced it. */
export interface Resource {
  /** Identity of the resource: its ARN (constructed where the API gives none). */
  arn: string
  /** Registered spec type, e.g. `AWS::EC2::Instance`. */
  type: string
  /** The AWS id (`i-0abc`, bucket name, role name …) used in API calls. */
  id: string
  /** The `Name` tag, or the natural name where the type has one, else the id. */
  name: string
  /** Region, or `global` for global types. */
  region: string
  /** Owning account id. */
  accountId: string
  /** The resource's real creation time (ISO 8601), or null when AWS does not say. Never the collection time. */
  createdAt: string | null
  /** Tags as a map. */
  tags: Record<string, string>
  /** Normalized direct-API shape: SDK output, dates as ISO strings, no secret values. */
  configuration: Record<string, unknown>
  /** Which source produced this resource. */
  source: ResourceSource
  /** Edges to other resources. */
  relationships: Relationship[]
}

/** Everything a spec receives to collect one (account, region, type) cell. */
export interface CollectContext {
  accountId: string
  /** `aws`, `aws-cn` or `aws-us-gov`: taken from the caller identity's ARN. */
  partition: string
  /** The region being collected; for global types, the region the global endpoint is called in. */
  region: string
  /** Every region selected for this run (lets global listings such as S3's keep only those). */
  regions: readonly string[]
  /** Lazily created, region-bound SDK clients. */
  clients: AwsClients
  /** Memoizes a value for the whole run (e.g. one S3 ListBuckets shared by every region). */
  shared<T>(key: string, load: () => Promise<T>): Promise<T>
  /** Aborted when the run is interrupted; long loops should stop early. */
  signal: AbortSignal
}

export type ResourceScope = 'regional' | 'global'

/** Declarative description of one resource type: how to list it and how to read it. */
export interface ResourceSpec<Item = unknown> {
  /** AWS Config resource type name (or the CloudFormation name where Config has none; `Account::` for settings). */
  type: string
  /** Service short name used in `--resource-types` (`ec2`, `s3`, `iam`, `lambda`). */
  service: string
  scope: ResourceScope
  /** Link to the AWS API reference of the listing call. */
  docs: string
  /** Direct-API collector: yields pages of raw SDK items, paginating fully. */
  list(ctx: CollectContext): AsyncIterable<Item[]>
  /** Turns a raw item into the canonical resource (relationships are filled in by `relationships`). */
  toResource(item: Item, ctx: CollectContext): Resource | Promise<Resource>
  /**
   * Where AWS Config records this type: the same canonical resource (configuration in the direct-API
   * shape, source `config`) from a configuration item, or undefined for an item that is not a current
   * resource (e.g. `ResourceDeleted`). Relationships are filled in by `relationships`, as for the API path.
   */
  fromConfigItem?(item: BaseConfigurationItem, ctx: CollectContext): Resource | undefined
  /** Edges to other resources, computed from the canonical resource so every source yields the same. */
  relationships?(resource: Resource): Relationship[]
  /**
   * Other ids an edge may name the resource by, in its account and region (a KMS key's aliases): cleanup
   * resolves such an edge to the resource they name now.
   */
  alsoNamed?(resource: Resource): string[]
  /**
   * Types this type's resources may depend on (every ordering edge `relationships` can return): such a
   * resource must be deleted before what it depends on. Only a type's own id may close a cycle.
   */
  dependsOn?: readonly string[]
  /** Field paths (dot-separated, `*` for any array element) that change without anyone changing the resource. */
  volatile?: readonly string[]
  /**
   * Array paths compared as sets (`*` for any element), mapped to the field — or fields, for a composite
   * identity — that identify an element; `.` identifies an element of a scalar array by its value.
   */
  sets?: Readonly<Record<string, string | readonly string[]>>
  /**
   * Field paths (as `volatile`) that are runtime state — running/stopped and what comes with it —
   * reported as drift of the `state` category, apart from configuration.
   */
  stateFields?: readonly string[]
  /** Field paths (as `volatile`) whose changes are security-relevant beyond what the differ recognizes by name. */
  securityFields?: readonly string[]
  /**
   * Field paths (as `volatile`) that are plain configuration although their names read as security or state
   * to the differ (SQS's `RedrivePolicy`: dead-letter settings, not permissions). `stateFields` and
   * `securityFields` take precedence, so a security setting can be kept inside a configuration path.
   */
  configurationFields?: readonly string[]
  /**
   * Field paths (as `volatile`) the collector did not read for this resource, as its configuration shows (a
   * KMS key's rotation status is not asked of a key pending deletion): absent because they were not read,
   * not because they were removed, so the differ compares them only between versions that both read them.
   */
  unreadFields?(configuration: Record<string, unknown>): readonly string[]
  /**
   * A configuration field AWS assigns afresh to every new resource (`RoleId`): a different value under
   * the same ARN means the resource was deleted and recreated (replaced).
   */
  uniqueId?: string
  /**
   * Set for account settings and other things that cannot carry tags: they are kept whatever the
   * snapshot's tag filters say (an inventory filtered by team still needs the account's password policy).
   */
  untagged?: true
  /**
   * Set for account settings: `list()` yields exactly one item per collected cell, stating "not configured"
   * explicitly. AWS Config keeps no item for a setting never configured, so an AWS Config answer without a
   * current item cannot stand for the setting: such a cell is read from the direct API instead.
   */
  singleton?: true
  /** Set where `createdAt` can move without the resource being recreated, so it cannot reveal a replacement. */
  createdAtMoves?: boolean
  /** Set where the ARN ends with the resource's name rather than its id (an EC2 key pair: `key-pair/NAME`). */
  arnByName?: true
  /**
   * How cleanup and purge delete this type's resources (the contract is in src/cleanup/types.ts). A type
   * without a deleter is never deleted: its resources are always protected.
   */
  deleter?: Deleter
}
