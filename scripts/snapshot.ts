/** Everything a change can touch, as data: the build artifacts and the synthesized Docker stack. */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MonitoringConfig } from "../config/resolve.js";
import { build } from "../artifacts/build.js";

export interface Snapshot {
  readonly files: Record<string, string>;
  /** cdk.tf.json of the Docker stack, parsed; null where the side has no stack. */
  readonly stack: Record<string, unknown> | null;
}

export async function takeSnapshot(config: MonitoringConfig): Promise<Snapshot> {
  const files = Object.fromEntries(build(config).artifacts);
  // Loaded lazily: cdktf is only needed for the stack part (and stays inside stacks/).
  const { synthesize } = await import("../stacks/app.js");
  const outdir = mkdtempSync(join(tmpdir(), "flinkmon-snapshot-"));
  try {
    const stack = JSON.parse(readFileSync(synthesize(config, { outdir }), "utf8")) as Record<string, unknown>;
    return { files, stack };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
