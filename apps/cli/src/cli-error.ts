/**
 * A refusal the operator can act on: a stable code for scripts, an exit code for shells, and a
 * message that says what to do. Anything else is a fault and exits 1 through main's handler.
 */
export class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Wraps a command action so a CliError prints its message and code and sets its exit code. */
export function refusalsToExitCodes<A extends unknown[]>(action: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args) => {
    try {
      await action(...args);
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      process.stderr.write(`tributary: ${error.message} (${error.code})\n`);
      process.exitCode = error.exitCode;
    }
  };
}
