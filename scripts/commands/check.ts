import type { Command } from "commander";
import { addConfigOptions, configSource, defaultOutput, type ConfigFlags } from "../config-option.js";
import { loadConfig } from "../../config/load.js";
import { build, type Artifacts } from "../../artifacts/build.js";
import { readOutputDir } from "../output-dir.js";
import { CliExit, EXIT } from "../cli-support.js";
import { grafanaRefusals } from "../grafana-gate.js";
import { DEFAULT_OUT } from "./generate.js";
import { graphBudget } from "../../artifacts/budget.js";
import { overBudget, overBudgetMessage } from "../../flink/budget/report.js";

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
  addConfigOptions(
    program.command("check").description("fail (exit 1) when the output folder is not what generate would write"),
  )
    .option("-o, --out <dir>", "output folder to compare (default: generated/ at the project root)")
    .action((opts: ConfigFlags & { out?: string }) => {
      const { config } = loadConfig(configSource(opts));
      const out = opts.out ?? defaultOutput(DEFAULT_OUT);
      const onDisk = readOutputDir(out);
      const built = build(config);
      const { stale, missing, extra } = compareOutput(built.artifacts, onDisk);
      // The committed files are what a Grafana gets: check those, not a fresh build (when they are byte for byte
      // what build() wrote, its parsed documents are theirs).
      const current = stale.length + missing.length + extra.length === 0;
      const refusals = grafanaRefusals(config, onDisk, current ? built.documents : undefined);
      const problems: string[] = [];
      if (stale.length + missing.length + extra.length > 0) {
        const lines = [
          ...stale.map((p) => `  stale:   ${p}`),
          ...missing.map((p) => `  missing: ${p}`),
          ...extra.map((p) => `  extra:   ${p}`),
        ];
        problems.push(`flinkmon: ${out}/ is out of date; run 'npx flinkmon generate' and commit:\n${lines.join("\n")}`);
      }
      if (refusals.length > 0)
        problems.push(`flinkmon: Grafana would refuse files in ${out}/ and stop at start-up:\n${refusals.join("\n")}`);
      const budget = graphBudget(config);
      if (budget && overBudget(budget)) problems.push(overBudgetMessage(budget));
      if (problems.length > 0) throw new CliExit(EXIT.finding, problems.join("\n"));
      process.stdout.write(`flinkmon: ${out}/ is up to date, and Grafana's rules accept it\n`);
    });
}
