/** flinkmon's cache folder on this machine: outside any checkout, so a fresh clone (as in CI) finds it warm. */
import { homedir } from "node:os";
import { join } from "node:path";

/** Names the cache folder; default `$XDG_CACHE_HOME/flinkmon`, else `~/.cache/flinkmon`. */
export const CACHE_ENV = "FLINKMON_CACHE";

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env[CACHE_ENV] ?? join(env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "flinkmon");
}
