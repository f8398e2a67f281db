import {existsSync, readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

let root: string | undefined

/**
 * The directory of awsinv's package.json, found by walking up from this module: the same answer
 * from src/ (tests), dist/ and a bundled chunk anywhere below the package.
 */
export function packageRoot(): string {
  if (root !== undefined) return root
  let dir = dirname(fileURLToPath(import.meta.url))
  while (true) {
    const manifest = join(dir, 'package.json')
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as {name?: string}).name === 'awsinv') {
      root = dir
      return dir
    }

    const parent = dirname(dir)
    if (parent === dir) throw new Error('awsinv: cannot find its own package.json')
    dir = parent
  }
}
