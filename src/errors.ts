/**
 * An error the user can act on: printed as one line (no stack trace unless --debug) and mapped to
 * a non-zero exit code.
 */
export class UserError extends Error {
  constructor(
    message: string,
    /** Process exit code. 1 for errors; 130 for interruption. */
    readonly exitCode = 1,
  ) {
    super(message)
    this.name = 'UserError'
  }
}
