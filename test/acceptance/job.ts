/** The acceptance job (job/MetricsJob.java), compiled against one Flink distribution's lib/, cached by source. */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CACHE, once } from "./cache.js";

/** Changes with how the jar is made, so a cached jar from another recipe is not reused. */
const RECIPE = "javac --release 11; jar with Main-Class";
const SOURCE = join(dirname(fileURLToPath(import.meta.url)), "job", "MetricsJob.java");

export async function compileJob(version: string, flinkHome: string): Promise<string> {
  const hash = createHash("sha256").update(RECIPE).update(readFileSync(SOURCE)).digest("hex").slice(0, 12);
  const dir = join(CACHE, "jobs", `${version}-${hash}`);
  await once(dir, async (staging) => {
    const classes = join(staging, "classes");
    mkdirSync(classes);
    execFileSync("javac", ["-nowarn", "--release", "11", "-cp", `${flinkHome}/lib/*`, "-d", classes, SOURCE], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    execFileSync("jar", ["cfe", join(staging, "job.jar"), "MetricsJob", "-C", classes, "."], {
      stdio: ["ignore", "ignore", "pipe"],
    });
  });
  return join(dir, "job.jar");
}
