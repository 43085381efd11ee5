/**
 * Where the acceptance suite keeps what it installs: outside the checkout (CI runs in a fresh clone elsewhere),
 * keyed by version, complete or absent (a marker file is written last).
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cacheDir } from "../../scripts/cache-dir.js";

export const CACHE = cacheDir();

const MARKER = ".complete";

export const isComplete = (dir: string) => existsSync(join(dir, MARKER));

/**
 * Fills `dir` once: `fill` writes into a staging folder that becomes `dir` only when it succeeded, so an
 * interrupted install is never mistaken for a complete one. Returns whether it had to fill.
 */
export async function once(dir: string, fill: (staging: string) => Promise<void>): Promise<boolean> {
  if (isComplete(dir)) return false;
  const staging = `${dir}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  await fill(staging);
  writeFileSync(join(staging, MARKER), new Date().toISOString());
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  return true;
}
