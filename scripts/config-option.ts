/** The --config / --defaults pair every command that builds takes, and where the project's files are. */
import { existsSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import type { Command } from "commander";
import { ConfigError } from "../config/errors.js";
import { DEFAULT_CONFIG_FILE } from "../config/load.js";

export interface ConfigFlags {
  config?: string;
  defaults?: boolean;
}

export function addConfigOptions(command: Command): Command {
  return command
    .option(
      "-c, --config <file>",
      "config file (default: flinkmon.config.yaml of the project, found from here upwards, else the built-in default)",
    )
    .option("--defaults", "use the built-in default config, ignoring flinkmon.config.yaml");
}

/**
 * The project root: the nearest folder, from `from` upwards, that holds flinkmon.config.yaml. The search stops at
 * a repository's top (a folder with .git) so a config of another project above it is never taken.
 */
export function projectRoot(from = process.cwd()): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, DEFAULT_CONFIG_FILE))) return dir;
    if (existsSync(join(dir, ".git")) || dirname(dir) === dir) return undefined;
  }
}

/** A path relative to the working folder: messages name files as the user would type them. */
const shown = (path: string) => relative(process.cwd(), path) || ".";

/** What to hand to loadConfig: a file, or `false` for the built-in default. */
export function configSource(flags: ConfigFlags): string | false {
  if (flags.defaults && flags.config !== undefined) {
    throw new ConfigError(
      [
        {
          path: "--defaults",
          message: `cannot be combined with --config ${flags.config}: --defaults uses the built-in config, --config names a file; give one`,
        },
      ],
      "command line",
    );
  }
  if (flags.defaults) return false;
  if (flags.config !== undefined) {
    if (existsSync(flags.config) && statSync(flags.config).isDirectory()) {
      throw new ConfigError(
        [
          {
            path: "--config",
            message: `${flags.config} is a folder; name the YAML file, e.g. ${join(flags.config, DEFAULT_CONFIG_FILE)}`,
          },
        ],
        "command line",
      );
    }
    return flags.config;
  }
  const root = projectRoot();
  return root ? shown(join(root, DEFAULT_CONFIG_FILE)) : false;
}

/** The default output folder: generated/ at the project root (the working folder when there is no project). */
export function defaultOutput(folder: string): string {
  const root = projectRoot();
  return root ? shown(join(root, folder)) : folder;
}
