/** The queries over the cleanup audit tables (the last of `exampleQueries`), run against real runs by the cleanup integration test. */
export const cleanupExampleQueries: Array<{title: string; sql: string}> = [
  {
    title: 'Cleanup runs, newest first',
    sql: `SELECT id, mode, account_id, status, started_at, items, deleted, prepared, gone, scheduled, skipped, failed
FROM cleanup_runs
ORDER BY started_at DESC;`,
  },
  {
    title: 'Every resource cleanup deleted, newest first',
    sql: `SELECT i.run_id, i.type, i.region, i.resource_id, i.name, i.result, i.finished_at, r.caller_arn
FROM cleanup_items i JOIN cleanup_runs r ON r.id = i.run_id
WHERE i.kind = 'delete' AND i.result IN ('deleted', 'scheduled')
ORDER BY i.finished_at DESC;`,
  },
  {
    title: 'The AWS request ids of the latest cleanup run',
    sql: `SELECT i.type, i.resource_id, json_extract(s.value, '$.action') AS action, rid.value AS request_id
FROM cleanup_items i, json_each(i.steps) s, json_each(s.value, '$.requestIds') rid
WHERE i.run_id = (SELECT id FROM cleanup_runs ORDER BY started_at DESC LIMIT 1)
ORDER BY i.type, i.resource_id;`,
  },
]

/**
 * The example queries of DATABASE.md, in the order it shows them. Each `sql` is the exact text of the
 * query in DATABASE.md: change both together. They read only the documented views, except the cleanup
 * audit queries, which read the cleanup tables.
 */
export const exampleQueries: Array<{title: string; sql: string}> = [
  {
    title: 'Resources per type and region in a snapshot',
    sql: `SELECT type, region, count(*) AS resources
FROM v_resources
WHERE snapshot_name = 'baseline'
GROUP BY type, region
ORDER BY type, region;`,
  },
  {
    title: 'Resources per account and region',
    sql: `SELECT account_id, region, count(*) AS resources, count(DISTINCT type) AS types
FROM v_resources
WHERE snapshot_name = 'after-deploy'
GROUP BY account_id, region
ORDER BY resources DESC, account_id, region;`,
  },
  {
    title: 'Snapshots, newest first',
    sql: `SELECT name, inventory, status, started_at, resource_count, gap_count, is_active
FROM v_snapshots
ORDER BY started_at DESC;`,
  },
  {
    title: 'Untagged resources in the active snapshot of the default inventory',
    sql: `SELECT type, region, resource_id, name
FROM v_resources
WHERE snapshot_id = (SELECT id FROM v_snapshots WHERE inventory = 'default' AND is_active = 1)
  AND tags = '{}'
ORDER BY type, region, resource_id;`,
  },
  {
    title: 'Resources without an `owner` tag',
    sql: `SELECT type, region, resource_id, name
FROM v_resources
WHERE snapshot_name = 'after-deploy'
  AND json_extract(tags, '$.owner') IS NULL
ORDER BY type, region, resource_id;`,
  },
  {
    title: 'Resource count per `owner` tag value',
    sql: `SELECT value AS owner, count(*) AS resources
FROM v_resource_tags
WHERE snapshot_name = 'after-deploy' AND key = 'owner'
GROUP BY value
ORDER BY resources DESC;`,
  },
  {
    title: 'Tag coverage of required keys per type',
    sql: `SELECT type, count(*) AS resources, sum(has_both) AS with_owner_and_env,
  round(100.0 * sum(has_both) / count(*), 1) AS coverage_pct
FROM (
  SELECT type, json_extract(tags, '$.owner') IS NOT NULL AND json_extract(tags, '$.env') IS NOT NULL AS has_both
  FROM v_resources
  WHERE snapshot_name = 'after-deploy')
GROUP BY type
ORDER BY coverage_pct, type;`,
  },
  {
    title: 'Security groups with inbound rules open to 0.0.0.0/0',
    sql: `SELECT r.region, r.resource_id, r.name,
  json_extract(p.value, '$.IpProtocol') AS protocol,
  json_extract(p.value, '$.FromPort') AS from_port,
  json_extract(p.value, '$.ToPort') AS to_port
FROM v_resources r,
  json_each(r.configuration, '$.IpPermissions') p,
  json_each(p.value, '$.IpRanges') ip
WHERE r.snapshot_name = 'after-deploy'
  AND r.type = 'AWS::EC2::SecurityGroup'
  AND json_extract(ip.value, '$.CidrIp') = '0.0.0.0/0'
ORDER BY r.region, r.resource_id;`,
  },
  {
    title: 'Unattached EBS volumes',
    sql: `SELECT region, resource_id, name,
  json_extract(configuration, '$.Size') AS size_gib,
  json_extract(configuration, '$.VolumeType') AS volume_type,
  created_at
FROM v_resources
WHERE snapshot_name = 'after-deploy'
  AND type = 'AWS::EC2::Volume'
  AND json_extract(configuration, '$.State') = 'available'
ORDER BY size_gib DESC;`,
  },
  {
    title: 'Elastic IPs not associated with anything',
    sql: `SELECT region, resource_id, name, json_extract(configuration, '$.PublicIp') AS public_ip
FROM v_resources
WHERE snapshot_name = 'after-deploy'
  AND type = 'AWS::EC2::EIP'
  AND json_extract(configuration, '$.AssociationId') IS NULL;`,
  },
  {
    title: 'IAM access keys older than 90 days (at the time of the snapshot)',
    sql: `SELECT r.name AS user_name,
  json_extract(k.value, '$.AccessKeyId') AS access_key_id,
  json_extract(k.value, '$.Status') AS status,
  json_extract(k.value, '$.CreateDate') AS created,
  CAST(julianday(s.started_at) - julianday(json_extract(k.value, '$.CreateDate')) AS INTEGER) AS age_days
FROM v_resources r
JOIN v_snapshots s ON s.id = r.snapshot_id
JOIN json_each(r.configuration, '$.AccessKeys') k
WHERE r.snapshot_name = 'after-deploy'
  AND r.type = 'AWS::IAM::User'
  AND julianday(s.started_at) - julianday(json_extract(k.value, '$.CreateDate')) > 90
ORDER BY age_days DESC;`,
  },
  {
    title: 'IAM users with a console password and no MFA device',
    sql: `SELECT name AS user_name,
  json_extract(configuration, '$.LoginProfile.CreateDate') AS password_created,
  json_extract(configuration, '$.PasswordLastUsed') AS password_last_used
FROM v_resources
WHERE snapshot_name = 'after-deploy'
  AND type = 'AWS::IAM::User'
  AND json_extract(configuration, '$.LoginProfile') IS NOT NULL
  AND coalesce(json_array_length(configuration, '$.MFADevices'), 0) = 0
ORDER BY user_name;`,
  },
  {
    title: 'Roles that other AWS accounts (or anyone) can assume',
    sql: `SELECT r.name AS role_name, p.value AS trusted_principal,
  json_extract(s.value, '$.Condition') AS condition
FROM v_resources r,
  json_each(CASE json_type(r.configuration, '$.AssumeRolePolicyDocument.Statement')
    WHEN 'array' THEN json_extract(r.configuration, '$.AssumeRolePolicyDocument.Statement')
    ELSE json_array(json_extract(r.configuration, '$.AssumeRolePolicyDocument.Statement')) END) s,
  json_each(s.value, CASE json_type(s.value, '$.Principal') WHEN 'text' THEN '$.Principal' ELSE '$.Principal.AWS' END) p
WHERE r.snapshot_name = 'after-deploy'
  AND r.type = 'AWS::IAM::Role'
  AND json_extract(s.value, '$.Effect') = 'Allow'
  AND p.value NOT LIKE '%' || r.account_id || '%'
ORDER BY role_name, trusted_principal;`,
  },
  {
    title: 'Buckets without a complete public access block of their own',
    sql: `SELECT region, resource_id AS bucket,
  json_extract(configuration, '$.PublicAccessBlockConfiguration') AS public_access_block
FROM v_resources
WHERE snapshot_name = 'after-deploy'
  AND type = 'AWS::S3::Bucket'
  AND (json_extract(configuration, '$.PublicAccessBlockConfiguration') IS NULL
    OR json_extract(configuration, '$.PublicAccessBlockConfiguration.BlockPublicAcls') IS NOT 1
    OR json_extract(configuration, '$.PublicAccessBlockConfiguration.IgnorePublicAcls') IS NOT 1
    OR json_extract(configuration, '$.PublicAccessBlockConfiguration.BlockPublicPolicy') IS NOT 1
    OR json_extract(configuration, '$.PublicAccessBlockConfiguration.RestrictPublicBuckets') IS NOT 1)
ORDER BY bucket;`,
  },
  {
    title: 'The account-level public access block',
    sql: `SELECT account_id,
  json_extract(configuration, '$.PublicAccessBlockConfiguration') AS account_public_access_block
FROM v_resources
WHERE snapshot_name = 'after-deploy'
  AND type = 'AWS::S3::AccountPublicAccessBlock';`,
  },
  {
    title: 'Buckets whose policy allows anyone',
    sql: `SELECT r.resource_id AS bucket,
  json_extract(s.value, '$.Sid') AS sid,
  json_extract(s.value, '$.Action') AS action,
  json_extract(s.value, '$.Condition') AS condition
FROM v_resources r,
  json_each(CASE json_type(r.configuration, '$.Policy.Statement')
    WHEN 'array' THEN json_extract(r.configuration, '$.Policy.Statement')
    ELSE json_array(json_extract(r.configuration, '$.Policy.Statement')) END) s
WHERE r.snapshot_name = 'after-deploy'
  AND r.type = 'AWS::S3::Bucket'
  AND json_extract(s.value, '$.Effect') = 'Allow'
  AND (json_extract(s.value, '$.Principal') = '*'
    OR EXISTS (SELECT 1 FROM json_each(s.value, '$.Principal.AWS') a WHERE a.value = '*'))
ORDER BY bucket, sid;`,
  },
  {
    title: 'Resources created in the last 7 days',
    sql: `SELECT type, region, resource_id, name, created_at
FROM v_resources
WHERE snapshot_name = 'after-deploy'
  AND julianday(created_at) >= julianday('now', '-7 days')
ORDER BY created_at DESC;`,
  },
  {
    title: 'Coverage gaps of the latest snapshot',
    sql: `SELECT snapshot_name, account_id, region, resource_type, status, error_code, error
FROM v_coverage
WHERE snapshot_id = (SELECT id FROM v_snapshots ORDER BY started_at DESC, id DESC LIMIT 1)
  AND status <> 'ok'
ORDER BY region, resource_type;`,
  },
  {
    title: 'Resources that disappeared between two snapshots',
    sql: `SELECT old.type, old.region, old.resource_id, old.name, old.arn
FROM v_resources old
WHERE old.snapshot_name = 'baseline'
  AND NOT EXISTS (
    SELECT 1 FROM v_resources cur
    WHERE cur.snapshot_name = 'after-deploy' AND cur.arn = old.arn)
  AND EXISTS (
    SELECT 1 FROM v_coverage c
    WHERE c.snapshot_name = 'after-deploy' AND c.status = 'ok'
      AND c.account_id = old.account_id AND c.region = old.region AND c.resource_type = old.type)
ORDER BY old.type, old.region, old.resource_id;`,
  },
  {
    title: 'Resources that appeared between two snapshots',
    sql: `SELECT cur.type, cur.region, cur.resource_id, cur.name, cur.created_at
FROM v_resources cur
WHERE cur.snapshot_name = 'after-deploy'
  AND NOT EXISTS (
    SELECT 1 FROM v_resources old
    WHERE old.snapshot_name = 'baseline' AND old.arn = cur.arn)
  AND EXISTS (
    SELECT 1 FROM v_coverage c
    WHERE c.snapshot_name = 'baseline' AND c.status = 'ok'
      AND c.account_id = cur.account_id AND c.region = cur.region AND c.resource_type = cur.type)
ORDER BY cur.type, cur.region, cur.resource_id;`,
  },
  {
    title: 'Resources whose configuration changed between two snapshots',
    sql: `SELECT cur.type, cur.region, cur.resource_id, cur.name
FROM v_resources cur
JOIN v_resources old ON old.arn = cur.arn
WHERE old.snapshot_name = 'baseline'
  AND cur.snapshot_name = 'after-deploy'
  AND old.config_hash <> cur.config_hash
ORDER BY cur.type, cur.region, cur.resource_id;`,
  },
  {
    title: 'Resource count per type across the snapshots of an inventory',
    sql: `WITH snaps AS (
  SELECT id, name, started_at FROM v_snapshots WHERE inventory = 'default'
), counts AS (
  SELECT snapshot_id, type, count(*) AS resources
  FROM v_resources
  WHERE snapshot_id IN (SELECT id FROM snaps)
  GROUP BY snapshot_id, type
), types AS (
  SELECT DISTINCT type FROM counts
)
SELECT t.type, s.name AS snapshot, s.started_at, coalesce(c.resources, 0) AS resources,
  coalesce(c.resources, 0) - lag(coalesce(c.resources, 0)) OVER (PARTITION BY t.type ORDER BY s.started_at) AS change
FROM types t CROSS JOIN snaps s
LEFT JOIN counts c ON c.snapshot_id = s.id AND c.type = t.type
ORDER BY t.type, s.started_at;`,
  },
  {
    title: 'What uses each security group (from relationships)',
    sql: `SELECT json_extract(rel.value, '$.arn') AS security_group, r.type, r.resource_id, r.name,
  json_extract(rel.value, '$.kind') AS kind
FROM v_resources r, json_each(r.relationships) rel
WHERE r.snapshot_name = 'after-deploy'
  AND json_extract(rel.value, '$.type') = 'AWS::EC2::SecurityGroup'
ORDER BY security_group, r.type, r.resource_id;`,
  },
  {
    title: 'Lambda functions with their runtime, role and environment variable names',
    sql: `SELECT region, name,
  json_extract(configuration, '$.Runtime') AS runtime,
  json_extract(configuration, '$.Role') AS role,
  json_extract(configuration, '$.Environment.VariableNames') AS env_names
FROM v_resources
WHERE snapshot_name = 'after-deploy' AND type = 'AWS::Lambda::Function'
ORDER BY region, name;`,
  },
  ...cleanupExampleQueries,
]
