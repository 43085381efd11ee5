/** What every command shares: exit codes and turning errors into messages. */
import { ConfigError, formatIssue } from "../config/errors.js";

export const EXIT = { ok: 0, finding: 1, error: 2 } as const;

/** Thrown by a command to end with a message and an exit code, without a stack trace. */
export class CliExit extends Error {
  constructor(
    readonly code: number,
    message = "",
  ) {
    super(message);
  }
}

/** Prints an error the way a user should see it and returns the exit code. */
export function reportError(error: unknown): number {
  if (error instanceof CliExit) {
    if (error.message) process.stderr.write(`${error.message}\n`);
    return error.code;
  }
  if (error instanceof ConfigError) {
    // Mistakes on the command line name the option (`flinkmon: --out: …`); a config file's, the file.
    const onCommandLine = error.issues.every((i) => i.path.startsWith("--"));
    if (onCommandLine) {
      for (const issue of error.issues) process.stderr.write(`flinkmon: ${formatIssue(issue)}\n`);
      return EXIT.error;
    }
    process.stderr.write(`flinkmon: ${error.source} is not valid:\n`);
    for (const issue of error.issues) process.stderr.write(`  - ${formatIssue(issue)}\n`);
    return EXIT.error;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`flinkmon: ${message}\n`);
  if (process.env.FLINKMON_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return EXIT.error;
}

export function printWarnings(warnings: readonly string[]): void {
  for (const w of warnings) process.stderr.write(`flinkmon: warning: ${w}\n`);
}
