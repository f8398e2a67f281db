import type {DBCluster, DBInstance} from '@aws-sdk/client-rds'

import {locationOf} from '../../resources/ec2/arn.js'
import {rdsArn} from '../../resources/rds/db-cluster.js'
import type {Resource} from '../../resources/types.js'
import {type Verdict, fail, pass, perCell, perResource, unknown} from '../evaluate.js'
import type {Check, Finding} from '../types.js'

const instanceType = 'AWS::RDS::DBInstance'
const clusterType = 'AWS::RDS::DBCluster'

/**
 * Instances and clusters are judged each on their own `StorageEncrypted`, with one exception: an
 * instance that belongs to a cluster (Aurora, DocumentDB, Neptune, Multi-AZ DB clusters) has no storage
 * of its own — it reads and writes the cluster's volume, whose encryption is set (and can only be
 * changed) on the cluster. Such an instance is left to its cluster's finding, so one unencrypted cluster
 * is one FAIL however many instances it has. Where its cluster is not in the snapshot (not collected, or
 * left out by tag filters) the instance is judged on the StorageEncrypted it reports, which is the
 * cluster's, so it is never left unjudged.
 */
export const rdsStorageUnencrypted: Check = {
  id: 'rds-storage-unencrypted',
  title: 'RDS DB instances and clusters are encrypted at rest',
  severity: 'high',
  cis: {v4: '2.2.1', v7: '3.2.1'},
  resourceTypes: [instanceType, clusterType],
  risk: 'An unencrypted database stores its data, automated backups, snapshots and read replicas in the clear: anyone who obtains a snapshot or the underlying storage reads them, and no KMS key policy governs access.',
  remediation: {
    text: 'Encryption cannot be turned on for an existing instance or cluster: snapshot it, copy the snapshot (instances) with a KMS key or restore it (clusters) with --kms-key-id, point the clients at the encrypted copy and delete the original.',
    cli: 'aws rds create-db-snapshot --db-instance-identifier <db-instance-id> --db-snapshot-identifier <db-instance-id>-unencrypted --region <region>',
  },

  evaluate(snapshot) {
    const clusters = snapshot.resources(clusterType)
    const collectedClusters = new Set(clusters.map((c) => c.arn))
    const membersOf = new Map<string, string[]>()
    for (const r of snapshot.resources(instanceType)) {
      const clusterArn = clusterArnOf(r)
      if (clusterArn !== undefined) membersOf.set(clusterArn, [...(membersOf.get(clusterArn) ?? []), r.id])
    }

    const instanceFindings: Finding[] = perCell(snapshot, instanceType, (_cell, resources) =>
      resources
        .filter((r) => {
          const clusterArn = clusterArnOf(r)
          return clusterArn === undefined || !collectedClusters.has(clusterArn)
        })
        .map((resource) => ({resource, verdict: judgeInstance(resource)})),
    )
    const clusterFindings = perResource(snapshot, clusterType, (resource) => judgeCluster(resource, membersOf.get(resource.arn) ?? []))
    return [...instanceFindings, ...clusterFindings]
  },
}

/** The ARN of the cluster an instance belongs to, if it belongs to one. */
function clusterArnOf(resource: Resource): string | undefined {
  const clusterId = (resource.configuration as DBInstance).DBClusterIdentifier
  return clusterId ? rdsArn(locationOf(resource), 'cluster', clusterId) : undefined
}

function judgeInstance(resource: Resource): Verdict {
  const db = resource.configuration as DBInstance
  if (db.StorageEncrypted === undefined) return unknown(`instance ${resource.id} has no recorded StorageEncrypted setting`)
  const clusterNote = db.DBClusterIdentifier ? ` (storage of cluster ${db.DBClusterIdentifier}, which is not in this snapshot)` : ''
  if (db.StorageEncrypted) return pass(`encrypted${db.KmsKeyId ? ` with ${db.KmsKeyId}` : ''}${clusterNote}`)
  return fail(
    `instance ${resource.id} (${db.Engine ?? 'unknown engine'}${db.AllocatedStorage ? `, ${db.AllocatedStorage} GiB` : ''}) is not encrypted at rest${clusterNote}`,
    db.DBClusterIdentifier
      ? clusterRemediation(db.DBClusterIdentifier, resource.region)
      : `aws rds create-db-snapshot --db-instance-identifier ${resource.id} --db-snapshot-identifier ${resource.id}-unencrypted --region ${resource.region}  # then copy-db-snapshot --kms-key-id <kms-key-id> and restore-db-instance-from-db-snapshot from the copy`,
  )
}

function judgeCluster(resource: Resource, members: readonly string[]): Verdict {
  const cluster = resource.configuration as DBCluster
  const memberNote = members.length > 0 ? `; member instances: ${[...members].sort().join(', ')}` : ''
  if (cluster.StorageEncrypted === undefined) return unknown(`cluster ${resource.id} has no recorded StorageEncrypted setting`)
  if (cluster.StorageEncrypted) return pass(`encrypted${cluster.KmsKeyId ? ` with ${cluster.KmsKeyId}` : ''}${memberNote}`)
  return fail(`cluster ${resource.id} (${cluster.Engine ?? 'unknown engine'}) is not encrypted at rest${memberNote}`, clusterRemediation(resource.id, resource.region))
}

function clusterRemediation(clusterId: string, region: string): string {
  return `aws rds create-db-cluster-snapshot --db-cluster-identifier ${clusterId} --db-cluster-snapshot-identifier ${clusterId}-unencrypted --region ${region}  # then restore-db-cluster-from-snapshot --kms-key-id <kms-key-id> from it`
}
