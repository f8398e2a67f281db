import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {packageRoot} from './package-root.js'

let cached: string | undefined

/** The version in awsinv's package.json. */
export function toolVersion(): string {
  cached ??= (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as {version: string}).version
  return cached
}
