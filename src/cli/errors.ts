/**
 * The CLI's one error type: a message for the user and the exit code it means (1: the operation
 * failed; 2: the command line was wrong, as kubectl and POSIX tools use 2 for usage errors).
 * `main` prints `error: <message>` and exits with the code; nothing else catches it.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
    /** HTTP status and Kubernetes Status reason when the API server answered the failure. */
    readonly status?: { code: number; reason: string },
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** A bad command line: names the flag (or argument), the value given and what was expected. */
export function usageError(flag: string, value: unknown, expected: string): CliError {
  return new CliError(`${flag}: got ${JSON.stringify(value)}, expected ${expected}`, 2);
}

/** True when the API server answered 404 NotFound. */
export function isNotFound(err: unknown): boolean {
  return err instanceof CliError && err.status?.code === 404;
}
