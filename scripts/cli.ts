#!/usr/bin/env node
/** The flinkmon command line. Exit codes: 0 ok, 1 a finding (stale, different, unhealthy), 2 usage or input error. */
import { Command, CommanderError } from "commander";
import { EXIT, reportError } from "./cli-support.js";

type Register = (program: Command) => void;

/**
 * Each command's module, loaded only when it runs: `flinkmon generate` loads no diff, doctor or collect code (the
 * bundle splits along these imports). In the order --help lists them.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  generate: async () => (await import("./commands/generate.js")).registerGenerate,
  check: async () => (await import("./commands/check.js")).registerCheck,
  diff: async () => (await import("./commands/diff.js")).registerDiff,
  conf: async () => (await import("./commands/conf.js")).registerConf,
  doctor: async () => (await import("./commands/doctor.js")).registerDoctor,
  collect: async () => (await import("./commands/collect.js")).registerCollect,
  budget: async () => (await import("./commands/budget.js")).registerBudget,
  schema: async () => (await import("./commands/schema.js")).registerSchema,
  snapshot: async () => (await import("./commands/snapshot.js")).registerSnapshot,
};

/** Commands --help does not list (snapshot: for diff's own use). */
const HIDDEN = new Set(["snapshot"]);

/** The program with `only` registered, or every command (help, version, no command). */
export async function createProgram(only?: string): Promise<Command> {
  const program = new Command("flinkmon")
    .description("Monitoring for Apache Flink as code: reporters, stores, dashboards and alerts from one config")
    .version("0.1.0")
    .showHelpAfterError()
    .exitOverride();
  for (const [name, load] of Object.entries(COMMANDS)) if (only === undefined || only === name) (await load())(program);
  for (const command of program.commands) command.exitOverride();
  return program;
}

/** The first word of a command line that is not an option: the command it names, if any. */
const firstWord = (argv: readonly string[]) => argv.find((a) => !a.startsWith("-"));

export async function main(argv: string[]): Promise<number> {
  try {
    const first = firstWord(argv);
    if (first !== undefined && first !== "help" && !(first in COMMANDS)) {
      // An unknown command is an error even with --help (commander would print the top-level help for it).
      const names = Object.keys(COMMANDS).filter((n) => !HIDDEN.has(n));
      process.stderr.write(`flinkmon: unknown command '${first}' (commands: ${names.join(", ")})\n`);
      return EXIT.error;
    }
    const program = await createProgram(first === undefined || first === "help" ? undefined : first);
    await program.parseAsync(argv, { from: "user" });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      const benign = ["commander.helpDisplayed", "commander.version"].includes(error.code);
      return benign ? EXIT.ok : EXIT.error;
    }
    return reportError(error);
  }
}

process.exitCode = await main(process.argv.slice(2));
