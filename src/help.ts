import {Help} from '@oclif/core'

import {unknownCommandLine} from './hooks/command-not-found.js'

/**
 * oclif's help, with help asked of a command that does not exist (`awsinv help scan`, `awsinv snapshot craete
 * --help`) answered like running it: one line naming the commands probably meant, exit code 2.
 */
export default class AwsinvHelp extends Help {
  override async showHelp(argv: string[]): Promise<void> {
    try {
      await super.showHelp(argv)
    } catch (error) {
      const subject = /^Command (\S+) not found\.$/.exec((error as Error).message)?.[1]
      if (!subject) throw error
      process.stderr.write(`Error: ${unknownCommandLine(this.config, subject)}\n`)
      // Not oclif's exit error: the help command may run under another copy of oclif (plugin-help's), which
      // would not know it for one and print its stack.
      process.exitCode = 2
    }
  }
}
