import type { Command } from "commander";
import { Option } from "commander";
import { CliExit, EXIT } from "../cli-support.js";
import { repoRoot, snapshotAtRef, snapshotOfWorkingTree } from "../diff/sides.js";
import { compareSnapshots } from "../diff/compare.js";
import { formatMarkdown, formatText, formatJson } from "../diff/format.js";

interface DiffOptions {
  base: string;
  head?: string;
  format: "markdown" | "text" | "json";
  config?: string;
}

export function registerDiff(program: Command): void {
  program
    .command("diff")
    .description(
      "explain what a change does to dashboards, alerts, Flink reporter keys and the stack (exit 1 when something changed)",
    )
    .requiredOption("--base <ref>", "git ref of the base, e.g. origin/main")
    .option("--head <ref>", "git ref of the head (default: the working tree)")
    .addOption(
      new Option("--format <format>", "output format").choices(["markdown", "text", "json"]).default("markdown"),
    )
    .option(
      "-c, --config <file>",
      "config file, relative to the repository root, on both sides (default: flinkmon.config.yaml where present)",
    )
    .action(async (opts: DiffOptions) => {
      const root = await repoRoot(process.cwd());
      const [before, after] = await Promise.all([
        snapshotAtRef(root, opts.base, opts.config),
        opts.head ? snapshotAtRef(root, opts.head, opts.config) : snapshotOfWorkingTree(root, opts.config),
      ]);
      const changes = compareSnapshots(before, after);
      const head = opts.head ?? "working tree";
      const out =
        opts.format === "json"
          ? formatJson(changes, opts.base, head)
          : opts.format === "text"
            ? formatText(changes)
            : formatMarkdown(changes, opts.base, head);
      process.stdout.write(out);
      if (changes.length > 0) throw new CliExit(EXIT.finding);
    });
}
