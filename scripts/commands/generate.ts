import type { Command } from "commander";
import { addConfigOptions, configSource, type ConfigFlags } from "../config-option.js";
import { loadConfig } from "../../config/load.js";
import { build } from "../build.js";
import { writeOutputDir } from "../output-dir.js";
import { printWarnings } from "../cli-support.js";

export const DEFAULT_OUT = "generated";

export function registerGenerate(program: Command): void {
  addConfigOptions(program
    .command("generate")
    .description("write every artifact (Flink reporter config, Prometheus, Grafana) into the output folder"))
    .option("-o, --out <dir>", "output folder, replaced as a whole", DEFAULT_OUT)
    .action((opts: ConfigFlags & { out: string }) => {
      const { config, source } = loadConfig(configSource(opts));
      const { artifacts, warnings } = build(config);
      printWarnings(warnings);
      writeOutputDir(opts.out, artifacts);
      process.stdout.write(`flinkmon: wrote ${artifacts.size} files to ${opts.out}/ from ${source}\n`);
    });
}
