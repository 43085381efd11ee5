/** What both deploy suites share: running `npm run deploy` as a user's project would, and timing the steps. */
import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

import { installServer, SERVER_BUILDS } from "../install-servers.js";
import { installProvider } from "./install-provider.js";
import { installCdktfCli } from "./install-cdktf.js";

const run = promisify(execFile);
const ROOT = join(new URL(".", import.meta.url).pathname, "../../..");
/** Terminal escapes the cdktf CLI prints even without a terminal. */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, "g");

/** `npm run deploy` (flinkmon's deploy script) in `project`: its exit code and what it printed, escapes removed. */
export async function runDeploy(
  project: string,
  env: NodeJS.ProcessEnv,
  extra: readonly string[] = [],
): Promise<{ code: number; out: string }> {
  const r = await run(
    process.execPath,
    [join(ROOT, "dist/scripts/deploy.js"), "--auto-approve", "--skip-provider-lock", ...extra],
    { cwd: project, env, maxBuffer: 64 << 20 },
  ).catch((e) => e);
  return {
    code: (r.code as number | undefined) ?? 0,
    out: String(r.stdout ?? "").replace(ANSI, "") + String(r.stderr ?? ""),
  };
}

/** Seconds each named step took, for the suite to print. */
export function stepTimer(): {
  timings: Record<string, number>;
  timed: <T>(what: string, work: () => Promise<T>) => Promise<T>;
} {
  const timings: Record<string, number> = {};
  const timed = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    try {
      return await work();
    } finally {
      timings[what] = (Date.now() - t0) / 1000;
    }
  };
  return { timings, timed };
}

/**
 * What `npm run deploy` needs on the machine, from the cache: the pinned servers (the stand-in images' binaries),
 * Terraform's Docker provider and the cdktf CLI. Returns the environment with the cdktf CLI on PATH.
 */
export async function installDeployTools(): Promise<NodeJS.ProcessEnv> {
  for (const build of SERVER_BUILDS) await installServer(build);
  await installProvider();
  return { ...process.env, PATH: `${(await installCdktfCli()).binDir}:${process.env.PATH}` };
}

/** A user's project folder below `dir`: cdktf.json naming flinkmon's app (the config is the suite's to write). */
export function userProject(dir: string): string {
  const project = join(dir, "project");
  mkdirSync(project);
  writeFileSync(
    join(project, "cdktf.json"),
    JSON.stringify({ language: "typescript", app: `node ${join(ROOT, "dist/scripts/synth.js")}`, output: "cdktf.out" }),
  );
  return project;
}
