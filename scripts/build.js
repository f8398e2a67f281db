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

// oclif sorts its commands with String#localeCompare on every start, and the first localeCompare call of a
// process initializes ICU's collator: about 10 ms of each run. Command ids are ASCII, so code-point order
// serves (and is the order the manifest already lists them in). The build fails if oclif's line changes.
const oclifCommandSort = {
  name: 'oclif-command-sort',
  setup(builder) {
    builder.onLoad({filter: /@oclif[\\/]core[\\/]lib[\\/]config[\\/]plugin\.js$/}, (args) => {
      const source = readFileSync(args.path, 'utf8')
      const sort = '.sort((a, b) => a.id.localeCompare(b.id))'
      if (!source.includes(sort)) throw new Error(`${args.path} no longer sorts commands with "${sort}": review the oclif-command-sort plugin`)
      return {contents: source.replace(sort, '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))'), loader: 'js'}
    })
  },
}

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
  plugins: [oclifCommandSort],
  logLevel: 'warning',
})
