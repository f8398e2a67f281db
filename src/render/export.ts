import {once} from 'node:events'
import {createWriteStream, rmSync} from 'node:fs'
import {resolve} from 'node:path'

import type {Store} from '../store/database.js'
import {type ResourceRow, iterateResources} from '../store/reports.js'
import {csvCell} from './format.js'
import {UserError} from '../errors.js'
import {TEMP_FILE_MODE, cannotWrite, outputTarget, renameOver} from './write-file.js'

const csvColumns: Array<keyof ResourceRow> = ['arn', 'type', 'id', 'name', 'region', 'accountId', 'createdAt', 'source', 'tags']

/**
 * Streams a snapshot's resources to a .json (array) or .csv file. Written to a temporary file and
 * renamed (a file replaced keeps its permissions), so a failed export never leaves a half-written file behind.
 */
export async function exportResources(store: Store, snapshotId: number, file: string): Promise<{path: string; resources: number}> {
  const path = resolve(file)
  const csv = path.toLowerCase().endsWith('.csv')
  // A device or pipe (/dev/stdout) is written to as it is; a file through a temporary one, renamed over it.
  const target = outputTarget(file)
  const temp = target.direct ? target.path : `${target.path}.${process.pid}.tmp`
  const out = createWriteStream(temp, {encoding: 'utf8', ...(target.direct ? {} : {mode: TEMP_FILE_MODE})})
  const write = async (chunk: string) => {
    if (!out.write(chunk)) await once(out, 'drain')
  }

  let count = 0
  try {
    await write(csv ? `${csvColumns.join(',')}\r\n` : '[\n')
    for (const row of iterateResources(store, snapshotId)) {
      if (csv) {
        await write(`${csvColumns.map((c) => csvCell(c === 'tags' ? JSON.stringify(row.tags) : String(row[c] ?? ''))).join(',')}\r\n`)
      } else {
        await write(`${count > 0 ? ',\n' : ''}  ${JSON.stringify(row)}`)
      }

      count++
    }

    if (!csv) await write('\n]\n')
    out.end()
    await once(out, 'finish')
    if (!target.direct) renameOver(path, temp, target.path)
  } catch (error) {
    out.destroy()
    if (!target.direct) rmSync(temp, {force: true})
    if (error instanceof UserError) throw error
    throw cannotWrite(path, error)
  }

  return {path, resources: count}
}
