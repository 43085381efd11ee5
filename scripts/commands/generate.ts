import type { Command } from "commander";
import { addConfigOptions, configSource, defaultOutput, type ConfigFlags } from "../config-option.js";
import { loadConfig } from "../../config/load.js";
import { build } from "../../artifacts/build.js";
import { writeOutputDir } from "../output-dir.js";
import { CliExit, EXIT, printWarnings } from "../cli-support.js";
import { grafanaRefusals } from "../grafana-gate.js";

export const DEFAULT_OUT = "generated";

export function registerGenerate(program: Command): void {
  addConfigOptions(
    program
      .command("generate")
      .description("write every artifact (Flink reporter config, Prometheus, Grafana) into the output folder"),
  )
    .option("-o, --out <dir>", "output folder, replaced as a whole (default: generated/ at the project root)")
    .action((opts: ConfigFlags & { out?: string }) => {
      const { config, source } = loadConfig(configSource(opts));
      const out = opts.out ?? defaultOutput(DEFAULT_OUT);
      const { artifacts, documents, warnings } = build(config);
      printWarnings(warnings);
      const refusals = grafanaRefusals(config, artifacts, documents);
      if (refusals.length > 0) {
        throw new CliExit(
          EXIT.error,
          `flinkmon: not writing ${out}/: Grafana would refuse these files and stop at start-up:\n${refusals.join("\n")}`,
        );
      }
      writeOutputDir(out, artifacts);
      process.stdout.write(`flinkmon: wrote ${artifacts.size} files to ${out}/ from ${source}\n`);
    });
}
