/** The two sides of a diff: a git ref built by its own code in a temporary worktree, or the working tree. */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  mkdirSync,
  mkdtempSync,
  symlinkSync,
  existsSync,
  rmSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, isAbsolute, join, resolve } from "node:path";
import { execa } from "execa";
import { loadConfig, DEFAULT_CONFIG_FILE } from "../../config/load.js";
import { CliExit, EXIT } from "../cli-support.js";
import { takeSnapshot, type Snapshot } from "../snapshot.js";
import { readOutputDir } from "../output-dir.js";
import { cacheDir } from "../cache-dir.js";

async function git(cwd: string, args: string[]): Promise<string> {
  const r = await execa("git", args, { cwd, reject: false, stdin: "ignore" });
  if (r.exitCode !== 0)
    throw new CliExit(EXIT.error, `flinkmon: git ${args.join(" ")} failed: ${String(r.stderr).trim()}`);
  return String(r.stdout).trim();
}

export async function repoRoot(cwd: string): Promise<string> {
  return git(cwd, ["rev-parse", "--show-toplevel"]);
}

/**
 * Git commands that change the worktree list, one at a time: `git worktree add` reads every other worktree's admin
 * folder and fails ("failed to read .git/worktrees/<name>/commondir") on one that is being created at that moment.
 */
let worktreeQueue: Promise<unknown> = Promise.resolve();
function serially<T>(work: () => Promise<T>): Promise<T> {
  const run = worktreeQueue.then(work, work);
  worktreeQueue = run.catch(() => undefined);
  return run;
}

/** The repository is flinkmon's own source (its commits carry their own generators), not a user's project. */
function isFlinkmonSource(root: string): boolean {
  try {
    return JSON.parse(readFileSync(join(root, "package.json"), "utf8")).name === "flinkmon";
  } catch {
    return false;
  }
}

/**
 * Builds `ref`: in flinkmon's own repository with the code and config of that commit (node_modules shared with
 * this checkout); in a user's project, where only the config is versioned, with this flinkmon and the config
 * file of that commit.
 */
export async function snapshotAtRef(root: string, ref: string, configFile?: string): Promise<Snapshot> {
  const check = await execa("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], {
    cwd: root,
    reject: false,
  });
  if (check.exitCode !== 0)
    throw new CliExit(
      EXIT.error,
      `flinkmon: --base/--head: "${ref}" is not a commit in ${root} (fetch it first, e.g. git fetch origin)`,
    );
  if (!isFlinkmonSource(root)) return snapshotOfConfigAtRef(root, ref, configFile);
  // A config from outside the tree can change under the same commit: build it every time.
  if (configFile && (isAbsolute(configFile) || configFile.split(/[\\/]/).includes("..")))
    return buildAtRef(root, ref, configFile);
  // The same tree, with the same dependencies, builds to the same snapshot every time: generators are pure.
  const cached = join(cacheDir(), "diff-snapshots", `${await snapshotKey(root, ref, configFile)}.json`);
  const hit = readCached(cached);
  if (hit) return hit;
  const snapshot = await buildAtRef(root, ref, configFile);
  writeCached(cached, snapshot);
  return snapshot;
}

/** The commit's tree, the config named, and this checkout's lock file (its node_modules build every side). */
async function snapshotKey(root: string, ref: string, configFile?: string): Promise<string> {
  const tree = await git(root, ["rev-parse", `${ref}^{tree}`]);
  let lock = "";
  try {
    lock = readFileSync(join(root, "package-lock.json"), "utf8");
  } catch {
    // no lock file: the tree alone
  }
  return createHash("sha256")
    .update(`${tree}\0${configFile ?? ""}\0${lock}`)
    .digest("hex")
    .slice(0, 32);
}

function readCached(file: string): Snapshot | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Snapshot;
  } catch {
    return undefined; // absent, or cut short by a crash: build again
  }
}

/** Best effort and atomic: a cache that cannot be written only makes the next diff slower. */
function writeCached(file: string, snapshot: Snapshot): void {
  try {
    mkdirSync(join(file, ".."), { recursive: true });
    const staging = `${file}.${process.pid}.partial`;
    writeFileSync(staging, JSON.stringify(snapshot));
    renameSync(staging, file);
  } catch {
    // read-only home, full disk: the diff itself is done
  }
}

async function buildAtRef(root: string, ref: string, configFile?: string): Promise<Snapshot> {
  const dir = mkdtempSync(join(tmpdir(), "flinkmon-diff-"));
  // Git names a worktree's admin folder after its base name: two sides built at once need different names.
  const tree = join(dir, basename(dir));
  await serially(() => git(root, ["worktree", "add", "--detach", "--quiet", tree, ref]));
  // Ctrl-C (or a CI cancel) must not leave a worktree behind: remove it, then exit as the signal asks.
  const removeWorktree = () => {
    execFileSync("git", ["worktree", "remove", "--force", tree], { cwd: root, stdio: "ignore" });
    rmSync(dir, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    try {
      removeWorktree();
    } finally {
      process.exit(signal === "SIGINT" ? 130 : 143);
    }
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    if (existsSync(join(root, "node_modules")) && !existsSync(join(tree, "node_modules")))
      symlinkSync(join(root, "node_modules"), join(tree, "node_modules"), "dir");
    const config = configFile ? ["--config", configFile] : [];
    const r = await execa(process.execPath, ["--import", "tsx", "scripts/cli.ts", "snapshot", ...config], {
      cwd: tree,
      reject: false,
      stdin: "ignore",
    });
    if (r.exitCode === 0) return JSON.parse(String(r.stdout)) as Snapshot;
    if (!/unknown command 'snapshot'/.test(String(r.stderr)))
      throw new CliExit(EXIT.error, `flinkmon: building ${ref} failed:\n${String(r.stderr).trim()}`);
    return await legacySnapshot(tree, ref, config);
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await serially(() => execa("git", ["worktree", "remove", "--force", tree], { cwd: root, reject: false }));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** For commits older than the snapshot command: generate into a folder and synthesize the stack if it exists. */
async function legacySnapshot(tree: string, ref: string, config: string[]): Promise<Snapshot> {
  const run = async (args: string[]) => {
    const r = await execa(process.execPath, ["--import", "tsx", ...args], {
      cwd: tree,
      reject: false,
      stdin: "ignore",
    });
    if (r.exitCode !== 0)
      throw new CliExit(EXIT.error, `flinkmon: building ${ref} failed:\n${String(r.stderr).trim()}`);
  };
  await run(["scripts/cli.ts", "generate", "--out", ".flinkmon-diff-out", ...config]);
  const files = Object.fromEntries(readOutputDir(join(tree, ".flinkmon-diff-out")));
  if (!existsSync(join(tree, "stacks/main.ts"))) return { files, stack: null };
  await run(["stacks/main.ts", "--outdir", ".flinkmon-diff-cdktf", ...config]);
  return {
    files,
    stack: JSON.parse(
      readFileSync(join(tree, ".flinkmon-diff-cdktf/stacks/flinkmon/cdk.tf.json"), "utf8"),
    ) as Snapshot["stack"],
  };
}

/** A user's project at `ref`: its config file of that commit (or the built-in default where it has none). */
async function snapshotOfConfigAtRef(root: string, ref: string, configFile?: string): Promise<Snapshot> {
  const path = configFile ?? DEFAULT_CONFIG_FILE;
  const shown = await execa("git", ["show", `${ref}:${path}`], { cwd: root, reject: false, stdin: "ignore" });
  if (shown.exitCode !== 0) {
    if (configFile)
      throw new CliExit(EXIT.error, `flinkmon: --config: ${configFile} does not exist at ${ref} in ${root}`);
    return takeSnapshot(loadConfig(false).config);
  }
  const dir = mkdtempSync(join(tmpdir(), "flinkmon-diff-"));
  try {
    const file = join(dir, basename(path));
    writeFileSync(file, String(shown.stdout));
    return takeSnapshot(loadConfig(file).config);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The working tree, built in-process by this code. */
export async function snapshotOfWorkingTree(root: string, configFile?: string): Promise<Snapshot> {
  const { config } = loadConfig(
    configFile
      ? resolve(root, configFile)
      : existsSync(join(root, DEFAULT_CONFIG_FILE))
        ? join(root, DEFAULT_CONFIG_FILE)
        : false,
  );
  return takeSnapshot(config);
}
