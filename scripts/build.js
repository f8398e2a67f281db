// Builds dist/: the CLI entry, the help class and every command and hook, bundled with @oclif/core into shared
// ESM chunks. Loading a few chunks instead of oclif's hundreds of modules is most of `awsinv --help`'s start-up
// time. Every other dependency stays in node_modules (AWS SDK clients are imported lazily).
import {build} from 'esbuild'
import {readFileSync, readdirSync, rmSync} from 'node:fs'
import {join} from 'node:path'

const pkg = JSON.parse(readFileSync('package.json', 'utf8'))
const external = Object.keys(pkg.dependencies)
  .filter((name) => name !== '@oclif/core' && name !== 'drizzle-orm')
  .flatMap((name) => [name, `${name}/*`])
const entries = (dir) =>
  readdirSync(dir, {recursive: true})
    .map(String)
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(dir, file))

rmSync('dist', {force: true, recursive: true})
await build({
  entryPoints: ['src/cli.ts', 'src/help.ts', ...entries('src/commands'), ...entries('src/hooks')],
  outdir: 'dist',
  outbase: 'src',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  external: [...external, '@aws-sdk/*', '@smithy/*', 'typescript', 'ts-node', 'tsx'],
  // oclif is CommonJS: give its bundled require() calls a real require.
  banner: {js: "import {createRequire as __awsinvCreateRequire} from 'node:module';const require = __awsinvCreateRequire(import.meta.url);"},
  logLevel: 'warning',
})
