#!/usr/bin/env node
/**
 * The cdktf app (cdktf.json "app"): `npm run synth` runs it directly; `npx cdktf synth|deploy` runs it for
 * users with the cdktf CLI. Config: --config F, --defaults, or ./flinkmon.config.yaml (FLINKMON_CONFIG for
 * the cdktf CLI, which passes no arguments). FLINKMON_TEARDOWN=1 synthesizes the teardown variant.
 */
import { Command } from "commander";
import { loadConfig } from "../config/load.js";
import { reportError } from "./cli-support.js";
import { addConfigOptions, configSource, type ConfigFlags } from "./config-option.js";
import { synthesize } from "../stacks/app.js";

const program = addConfigOptions(
  new Command("synth").description("synthesize the monitoring stack into cdktf.out/ (no Terraform needed)"),
)
  .option("-o, --outdir <dir>", "output folder", process.env.CDKTF_OUTDIR ?? "cdktf.out")
  .option(
    "--teardown",
    "synthesize the variant that removes everything but the data volumes",
    process.env.FLINKMON_TEARDOWN === "1",
  );

try {
  program.parse(process.argv);
  const opts = program.opts<ConfigFlags & { outdir: string; teardown: boolean }>();
  // The cdktf CLI passes no arguments: `npm run deploy` hands --config / --defaults over in the environment.
  const { config, source } = loadConfig(
    configSource({
      ...opts,
      config: opts.config ?? process.env.FLINKMON_CONFIG,
      defaults: opts.defaults || process.env.FLINKMON_DEFAULTS === "1",
    }),
  );
  const file = synthesize(config, { outdir: opts.outdir, teardown: opts.teardown });
  process.stdout.write(`flinkmon: synthesized ${file} from ${source}${opts.teardown ? " (teardown)" : ""}\n`);
} catch (error) {
  process.exitCode = reportError(error);
}
