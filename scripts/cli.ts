#!/usr/bin/env node
/** The flinkmon command line. Exit codes: 0 ok, 1 a finding (stale, different, unhealthy), 2 usage or input error. */
import { Command, CommanderError } from "commander";
import { registerGenerate } from "./commands/generate.js";
import { registerCheck } from "./commands/check.js";
import { registerConf } from "./commands/conf.js";
import { registerSchema } from "./commands/schema.js";
import { registerDiff } from "./commands/diff.js";
import { registerSnapshot } from "./commands/snapshot.js";
import { registerDoctor } from "./commands/doctor.js";
import { registerCollect } from "./commands/collect.js";
import { registerBudget } from "./commands/budget.js";
import { EXIT, reportError } from "./cli-support.js";

export function createProgram(): Command {
  const program = new Command("flinkmon")
    .description("Monitoring for Apache Flink as code: reporters, stores, dashboards and alerts from one config")
    .version("0.1.0")
    .showHelpAfterError()
    .exitOverride();
  for (const register of [
    registerGenerate,
    registerCheck,
    registerDiff,
    registerConf,
    registerDoctor,
    registerCollect,
    registerBudget,
    registerSchema,
    registerSnapshot,
  ])
    register(program);
  for (const command of program.commands) command.exitOverride();
  return program;
}

/** The command a command line names, when it names one that does not exist (commander would print help for it). */
function unknownCommand(program: Command, argv: readonly string[]): string | undefined {
  const first = argv.find((a) => !a.startsWith("-"));
  if (first === undefined || first === "help") return undefined;
  return program.commands.some((c) => c.name() === first || c.aliases().includes(first)) ? undefined : first;
}

export async function main(argv: string[]): Promise<number> {
  try {
    const program = createProgram();
    const unknown = unknownCommand(program, argv);
    if (unknown !== undefined) {
      // The commands --help lists (hidden ones, such as snapshot, left out).
      const names = program
        .createHelp()
        .visibleCommands(program)
        .map((c) => c.name())
        .filter((n) => n !== "help");
      process.stderr.write(`flinkmon: unknown command '${unknown}' (commands: ${names.join(", ")})\n`);
      return EXIT.error;
    }
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
