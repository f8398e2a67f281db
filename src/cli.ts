import {execute, settings} from '@oclif/core'

/** Runs the CLI with the process arguments (the entry point bin/run.js calls). */
export async function run(): Promise<void> {
  // dist/ is what runs, whatever NODE_ENV says: oclif would otherwise look for TypeScript sources to
  // transpile when NODE_ENV is "test" or "development", and warn that it found none.
  settings.enableAutoTranspile = false
  await execute({dir: import.meta.url})
}
