import type { Command } from "commander";
import { loadConfig } from "../../config/load.js";
import { build } from "../build.js";
import { writeOutputDir } from "../output-dir.js";
import { printWarnings } from "../cli-support.js";

export const DEFAULT_OUT = "generated";

export function registerGenerate(program: Command): void {
  program
    .command("generate")
    .description("write every artifact (Flink reporter config, Prometheus, Grafana) into the output folder")
    .option("-c, --config <file>", "config file (default: ./flinkmon.config.yaml if present, else the built-in default)")
    .option("-o, --out <dir>", "output folder, replaced as a whole", DEFAULT_OUT)
    .action((opts: { config?: string; out: string }) => {
      const { config, source } = loadConfig(opts.config);
      const { artifacts, warnings } = build(config);
      printWarnings(warnings);
      writeOutputDir(opts.out, artifacts);
      process.stdout.write(`flinkmon: wrote ${artifacts.size} files to ${opts.out}/ from ${source}\n`);
    });
}
