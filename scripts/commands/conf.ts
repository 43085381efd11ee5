import type { Command } from "commander";
import { readConfigObject, configFromObject } from "../../config/load.js";
import { ConfigError } from "../../config/errors.js";
import { renderFlinkConf } from "../../flink/render-conf.js";
import { printWarnings } from "../cli-support.js";

interface ConfOptions {
  flinkVersion?: string;
  reporter: string[];
  config?: string;
}

/** Names issues by the flag the user typed, not by the config path it feeds. */
function asFlagError(error: ConfigError): ConfigError {
  const issues = error.issues.map((issue) => ({
    ...issue,
    path: issue.path.replace(/^flink\.version$/, "--flink-version").replace(/^flink\.reporters(\[\d+\])?$/, "--reporter"),
  }));
  return new ConfigError(issues, "command line");
}

export function registerConf(program: Command): void {
  program
    .command("conf")
    .description("print the metrics reporter block to paste into a Flink configuration")
    .option("--flink-version <version>", 'Flink version, e.g. "1.17", "1.20.1", "2.x" (default: from the config)')
    .option("--reporter <name>", "reporter to configure; repeat for more (default: from the config)", (v: string, all: string[]) => [...all, v], [])
    .option("-c, --config <file>", "config file for the other reporter options")
    .action((opts: ConfOptions) => {
      const { raw, source } = readConfigObject(opts.config);
      const base = (raw ?? {}) as { flink?: Record<string, unknown> };
      const flink = { ...(base.flink ?? {}) };
      if (opts.flinkVersion !== undefined) flink.version = opts.flinkVersion;
      if (opts.reporter.length > 0) flink.reporters = opts.reporter;
      let rendered;
      try {
        rendered = renderFlinkConf(configFromObject({ ...base, flink }, source));
      } catch (error) {
        throw error instanceof ConfigError && (opts.flinkVersion !== undefined || opts.reporter.length > 0) ? asFlagError(error) : error;
      }
      printWarnings(rendered.warnings);
      process.stdout.write(`# ${rendered.file.replace("flink/", "conf/")}\n${rendered.content}`);
    });
}
