/** Everything a change can touch, as data: the build artifacts and the synthesized Docker stack. */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MonitoringConfig } from "../config/resolve.js";
import { build } from "../artifacts/build.js";
import type { BudgetReport } from "../flink/budget/report.js";
import { graphBudget } from "../artifacts/budget.js";

export interface Snapshot {
  readonly files: Record<string, string>;
  /** cdk.tf.json of the Docker stack, parsed; null where the side has no stack. */
  readonly stack: Record<string, unknown> | null;
  /** The series estimate of budget.graph; absent without one (and on sides older than the estimate). */
  readonly budget?: BudgetReport;
}

export async function takeSnapshot(config: MonitoringConfig): Promise<Snapshot> {
  const files = Object.fromEntries(build(config).artifacts);
  // Loaded lazily: cdktf is only needed for the stack part (and stays inside stacks/).
  const { synthesize } = await import("../stacks/app.js");
  const outdir = mkdtempSync(join(tmpdir(), "flinkmon-snapshot-"));
  try {
    const stack = JSON.parse(readFileSync(synthesize(config, { outdir }), "utf8")) as Record<string, unknown>;
    const budget = graphBudget(config);
    return budget ? { files, stack, budget } : { files, stack };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
