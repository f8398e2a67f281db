import {readFileSync} from 'node:fs'
import {dirname, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

let cached: string | undefined

/** The version in package.json (one level up from both src/ and dist/). */
export function toolVersion(): string {
  if (cached === undefined) {
    const path = resolve(dirname(fileURLToPath(import.meta.url)), '../package.json')
    cached = (JSON.parse(readFileSync(path, 'utf8')) as {version: string}).version
  }

  return cached
}
