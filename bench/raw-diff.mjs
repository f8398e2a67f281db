// The raw floor for `awsinv query diff`: both snapshots' (arn, config_hash) rows loaded into Maps with
// better-sqlite3 and compared by hash — no coverage, tags, field-level diff or rendering.
// Prints {"added": N, "removed": N, "changed": N} on stdout.
// Usage: node bench/raw-diff.mjs DATABASE BEFORE AFTER
import Database from 'better-sqlite3'

const [path, before, after] = process.argv.slice(2)
const db = new Database(path, {readonly: true})
const rows = db.prepare('select r.arn, r.config_hash from resources r join snapshots s on s.id = r.snapshot_id where s.name = ?').raw()
const was = new Map(rows.all(before))
const is = new Map(rows.all(after))
db.close()

let added = 0
let removed = 0
let changed = 0
for (const [arn, hash] of was) {
  const other = is.get(arn)
  if (other === undefined) removed++
  else if (other !== hash) changed++
}

for (const arn of is.keys()) if (!was.has(arn)) added++
process.stdout.write(JSON.stringify({added, removed, changed}) + '\n')
