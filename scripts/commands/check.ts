import type { Command } from "commander";
import { addConfigOptions, configSource, type ConfigFlags } from "../config-option.js";
import { loadConfig } from "../../config/load.js";
import { build, type Artifacts } from "../build.js";
import { readOutputDir } from "../output-dir.js";
import { CliExit, EXIT } from "../cli-support.js";
import { DEFAULT_OUT } from "./generate.js";

export interface Staleness {
  readonly stale: string[];
  readonly missing: string[];
  readonly extra: string[];
}

/** Compares what build() gives with what is on disk. */
export function compareOutput(expected: Artifacts, actual: ReadonlyMap<string, string>): Staleness {
  const stale: string[] = [];
  const missing: string[] = [];
  for (const [path, content] of expected) {
    const onDisk = actual.get(path);
    if (onDisk === undefined) missing.push(path);
    else if (onDisk !== content) stale.push(path);
  }
  const extra = [...actual.keys()].filter((path) => !expected.has(path)).sort();
  return { stale, missing, extra };
}

export function registerCheck(program: Command): void {
  addConfigOptions(program
    .command("check")
    .description("fail (exit 1) when the output folder is not what generate would write"))
    .option("-o, --out <dir>", "output folder to compare", DEFAULT_OUT)
    .action((opts: ConfigFlags & { out: string }) => {
      const { config } = loadConfig(configSource(opts));
      const { stale, missing, extra } = compareOutput(build(config).artifacts, readOutputDir(opts.out));
      if (stale.length + missing.length + extra.length === 0) {
        process.stdout.write(`flinkmon: ${opts.out}/ is up to date\n`);
        return;
      }
      const lines = [
        ...stale.map((p) => `  stale:   ${p}`),
        ...missing.map((p) => `  missing: ${p}`),
        ...extra.map((p) => `  extra:   ${p}`),
      ];
      throw new CliExit(EXIT.finding, `flinkmon: ${opts.out}/ is out of date; run 'npx flinkmon generate' and commit:\n${lines.join("\n")}`);
    });
}
