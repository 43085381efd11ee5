import type { Command } from "commander";
import { loadConfig } from "../../config/load.js";
import { addConfigOptions, configSource, type ConfigFlags } from "../config-option.js";
import { takeSnapshot } from "../snapshot.js";

/** Hidden: prints the snapshot `flinkmon diff` compares, so the base side of a diff runs its own code. */
export function registerSnapshot(program: Command): void {
  addConfigOptions(
    program
      .command("snapshot", { hidden: true })
      .description("print build artifacts and the synthesized stack as JSON (used by diff)"),
  ).action(async (opts: ConfigFlags) => {
    const { config } = loadConfig(configSource(opts));
    process.stdout.write(JSON.stringify(await takeSnapshot(config)));
  });
}
