/** The --config / --defaults pair every command that builds takes. */
import type { Command } from "commander";

export interface ConfigFlags {
  config?: string;
  defaults?: boolean;
}

export function addConfigOptions(command: Command): Command {
  return command
    .option("-c, --config <file>", "config file (default: ./flinkmon.config.yaml if present, else the built-in default)")
    .option("--defaults", "use the built-in default config, ignoring ./flinkmon.config.yaml");
}

/** What to hand to loadConfig: a file, `false` for the built-in default, or undefined to look for the file. */
export function configSource(flags: ConfigFlags): string | false | undefined {
  return flags.defaults ? false : flags.config;
}
