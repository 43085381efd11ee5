import type { Command } from "commander";
import { readConfigObject, configFromObject } from "../../config/load.js";
import { configSchema } from "../../config/schema.js";
import { ConfigError, type ConfigIssue } from "../../config/errors.js";
import { resolveConfig } from "../../config/resolve.js";
import { checkConfigForVersion } from "../../config/version-rules.js";
import { flinkConfFor } from "../../artifacts/build.js";
import { printWarnings } from "../cli-support.js";
import { configSource } from "../config-option.js";

interface ConfOptions {
  flinkVersion?: string;
  reporter: string[];
  config?: string;
}

/** Names issues by the flag the user typed, not by the config path it feeds. */
function asFlagError(error: ConfigError): ConfigError {
  const issues = error.issues.map((issue) => ({
    ...issue,
    path: issue.path
      .replace(/^flink\.version$/, "--flink-version")
      .replace(/^flink\.reporters(\[\d+\])?$/, "--reporter"),
  }));
  return new ConfigError(issues, "command line");
}

/**
 * --flink-version asks for that version's block: reporter options of the config file that the version does not
 * have are left out (with a warning naming each), instead of failing on options the user did not ask for here.
 */
function dropOptionsTheVersionLacks(
  base: { flink?: Record<string, unknown> },
  flink: Record<string, unknown>,
  source: string,
): string[] {
  const parsed = configSchema.safeParse({ ...base, flink });
  if (!parsed.success) return []; // other mistakes are reported as usual below
  const issues: ConfigIssue[] = checkConfigForVersion(resolveConfig(parsed.data));
  const reporter = { ...((flink.reporter as Record<string, Record<string, unknown>> | undefined) ?? {}) };
  const warnings: string[] = [];
  for (const issue of issues) {
    const m = /^flink\.reporter\.(\w+)\.(\w+)$/.exec(issue.path);
    if (!m || reporter[m[1]!]?.[m[2]!] === undefined) continue;
    reporter[m[1]!] = Object.fromEntries(Object.entries(reporter[m[1]!]!).filter(([k]) => k !== m[2]));
    warnings.push(`left out ${issue.path} of ${source}: ${issue.message.replace(/; remove it.*$/, "")}`);
  }
  flink.reporter = reporter;
  return warnings;
}

export function registerConf(program: Command): void {
  program
    .command("conf")
    .description("print the metrics reporter block to paste into a Flink configuration")
    .option("--flink-version <version>", 'Flink version, e.g. "1.17", "1.20.1", "2.x" (default: from the config)')
    .option(
      "--reporter <name>",
      "reporter to configure; repeat for more (default: from the config)",
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .option("-c, --config <file>", "config file for the other reporter options")
    .action((opts: ConfOptions) => {
      const { raw, source } = readConfigObject(configSource({ config: opts.config }));
      const base = (raw ?? {}) as { flink?: Record<string, unknown> };
      const flink = { ...(base.flink ?? {}) };
      if (opts.flinkVersion !== undefined) flink.version = opts.flinkVersion;
      if (opts.reporter.length > 0) flink.reporters = opts.reporter;
      const dropped = opts.flinkVersion !== undefined ? dropOptionsTheVersionLacks(base, flink, source) : [];
      let rendered;
      try {
        rendered = flinkConfFor(configFromObject({ ...base, flink }, source));
      } catch (error) {
        throw error instanceof ConfigError && (opts.flinkVersion !== undefined || opts.reporter.length > 0)
          ? asFlagError(error)
          : error;
      }
      printWarnings([...dropped, ...rendered.warnings]);
      process.stdout.write(`# ${rendered.file.replace("flink/", "conf/")}\n${rendered.content}`);
    });
}
