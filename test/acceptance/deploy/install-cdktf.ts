/** The cdktf CLI (npm cdktf-cli) at the cdktf version package.json pins, installed into the cache, not the checkout. */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CACHE, once } from "../cache.js";

const ROOT = join(new URL(".", import.meta.url).pathname, "../../..");
export const CDKTF_VERSION: string = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).dependencies.cdktf;

const dir = () => join(CACHE, "tools", `cdktf-cli-${CDKTF_VERSION}`);
/** The folder to put on PATH: `npm run deploy` runs the cdktf on PATH when the project has none of its own. */
const cdktfBinDir = () => join(dir(), "node_modules", ".bin");

export async function installCdktfCli(): Promise<{ binDir: string; installed: boolean }> {
  const installed = await once(dir(), async (staging) => {
    execFileSync(
      "npm",
      ["install", "--no-audit", "--no-fund", "--no-save", "--prefix", staging, `cdktf-cli@${CDKTF_VERSION}`],
      { stdio: ["ignore", "ignore", "inherit"] },
    );
  });
  return { binDir: cdktfBinDir(), installed };
}
