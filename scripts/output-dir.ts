/** Reading and atomically replacing the output folder of `flinkmon generate`. */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, existsSync, statSync } from "node:fs";
import { dirname, join, resolve, basename, relative, sep } from "node:path";
import type { Artifacts } from "../artifacts/build.js";
import { ConfigError } from "../config/errors.js";

/** Marks a folder as flinkmon's, so generate never replaces a folder of someone else's files. */
export const MARKER_FILE = ".flinkmon-generated";
const MARKER_TEXT = "This folder is written by `flinkmon generate`. Do not edit: changes are overwritten.\n";

/** Every file below `dir` as relative "/"-path → content; the marker is left out. */
export function readOutputDir(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!existsSync(dir)) return files;
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) files.set(relative(dir, full).split(sep).join("/"), readFileSync(full, "utf8"));
    }
  };
  walk(dir);
  files.delete(MARKER_FILE);
  return files;
}

function assertOurs(dir: string): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) {
    throw new ConfigError([{ path: "--out", message: `${dir} is a file, not a folder; choose another --out` }]);
  }
  const entries = readdirSync(dir);
  if (entries.length > 0 && !entries.includes(MARKER_FILE)) {
    throw new ConfigError([
      {
        path: "--out",
        message: `${dir} holds files flinkmon did not write (no ${MARKER_FILE}); refusing to replace them. Choose an empty or new folder`,
      },
    ]);
  }
}

/**
 * Replaces `dir` with exactly `artifacts`: written into a sibling temp folder first, then swapped in with
 * renames, so a failed run leaves the previous output untouched and removed artifacts disappear.
 */
/**
 * Leftovers of a run that was interrupted: a staging folder is deleted; a previous output that was moved aside but
 * never replaced (the process died between the two renames) is put back, so the output folder is never lost.
 */
function recoverInterrupted(target: string): void {
  const prefix = `.flinkmon-tmp-${basename(target)}-`;
  const leftovers = existsSync(dirname(target)) ? readdirSync(dirname(target)).filter((f) => f.startsWith(prefix)) : [];
  for (const name of leftovers.filter((f) => f.startsWith(`${prefix}old-`)).sort()) {
    const path = join(dirname(target), name);
    if (!existsSync(target)) renameSync(path, target);
    else rmSync(path, { recursive: true, force: true });
  }
  for (const name of leftovers.filter((f) => !f.startsWith(`${prefix}old-`)))
    rmSync(join(dirname(target), name), { recursive: true, force: true });
}

export function writeOutputDir(dir: string, artifacts: Artifacts): void {
  const target = resolve(dir);
  recoverInterrupted(target);
  assertOurs(target);
  const tag = `${process.pid}-${Date.now()}`;
  const staging = join(dirname(target), `.flinkmon-tmp-${basename(target)}-${tag}`);
  const previous = join(dirname(target), `.flinkmon-tmp-${basename(target)}-old-${tag}`);
  try {
    mkdirSync(staging, { recursive: true });
    for (const [path, content] of artifacts) {
      const file = join(staging, ...path.split("/"));
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
    writeFileSync(join(staging, MARKER_FILE), MARKER_TEXT);
    if (existsSync(target)) renameSync(target, previous);
    try {
      renameSync(staging, target);
    } catch (error) {
      if (existsSync(previous)) renameSync(previous, target);
      throw error;
    }
    rmSync(previous, { recursive: true, force: true });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
