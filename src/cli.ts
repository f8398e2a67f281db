import {execute} from '@oclif/core'

/** Runs the CLI with the process arguments (the entry point bin/run.js calls). */
export async function run(): Promise<void> {
  await execute({dir: import.meta.url})
}
