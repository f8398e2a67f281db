// The raw floor of bench/query.ts: one SQL statement run directly with better-sqlite3, its rows
// printed as JSON, and nothing else (no CLI framework, no migrations check, no result shaping).
//   node bench/raw-query.mjs DATABASE SQL PARAMS_JSON
import Database from 'better-sqlite3'

const [path, sql, params] = process.argv.slice(2)
const db = new Database(path, {readonly: true, fileMustExist: true})
const rows = db.prepare(sql).all(JSON.parse(params))
db.close()
process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`)
