/**
 * Flink's binary distribution from PyPI, as a FLINK_HOME: the `apache-flink` wheel carries bin/ and conf/
 * (pyflink/bin, pyflink/conf); the `apache-flink-libraries` sdist carries lib/, opt/, plugins/ and bin/'s jar
 * (deps/lib, deps/opt, deps/plugins, deps/bin). Nothing is installed into Python.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { CACHE, once } from "./cache.js";

export const flinkHome = (version: string) => join(CACHE, "flink", version);

const run = (command: string, args: string[], cwd?: string) =>
  execFileSync(command, args, { cwd, stdio: ["ignore", "ignore", "pipe"] });

export async function installFlink(version: string): Promise<{ home: string; installed: boolean }> {
  const home = flinkHome(version);
  const installed = await once(home, async (staging) => {
    const download = join(staging, ".download");
    mkdirSync(download);
    run("python3", [
      "-m",
      "pip",
      "download",
      "--quiet",
      "--no-deps",
      "--disable-pip-version-check",
      `apache-flink==${version}`,
      `apache-flink-libraries==${version}`,
      "-d",
      download,
    ]);
    const files = readdirSync(download);
    // Each package comes as a wheel (files under pyflink/) where PyPI has one for this Python, else as an sdist (files
    // under <name>-<version>/deps/; named with "-" up to 1.18, "_" after). apache-flink holds bin/ and conf/,
    // apache-flink-libraries lib/, opt/, plugins/ and bin/'s jar.
    const scripts = files.find((f) => /^apache[-_]flink-\d/.test(f));
    const libraries = files.find((f) => /^apache[-_]flink[-_]libraries-/.test(f));
    if (!scripts || !libraries)
      throw new Error(
        `PyPI gave ${files.join(", ")} for Flink ${version}: expected apache-flink and apache-flink-libraries`,
      );
    const unpacked = join(download, "x");
    mkdirSync(unpacked);
    const filesOf = (archive: string, pattern: RegExp): string => {
      if (archive.endsWith(".whl")) {
        run("unzip", ["-q", "-o", join(download, archive), "pyflink/*", "-d", unpacked]);
        return join(unpacked, "pyflink");
      }
      run("tar", ["xzf", join(download, archive), "-C", unpacked]);
      const top = readdirSync(unpacked).find((d) => pattern.test(d));
      if (!top) throw new Error(`${archive} has no top folder`);
      return join(unpacked, top, "deps");
    };
    const scriptDir = filesOf(scripts, /^apache[-_]flink-\d/);
    const deps = filesOf(libraries, /^apache[-_]flink[-_]libraries-/);
    for (const dir of ["bin", "conf"]) cpSync(join(scriptDir, dir), join(staging, dir), { recursive: true });
    for (const dir of ["bin", "lib", "opt", "plugins"])
      cpSync(join(deps, dir), join(staging, dir), { recursive: true });
    // The wheel does not keep the scripts' exec bits.
    for (const f of readdirSync(join(staging, "bin")))
      if (f.endsWith(".sh") || !f.includes(".")) chmodSync(join(staging, "bin", f), 0o755);
    mkdirSync(join(staging, "log"));
    rmSync(download, { recursive: true, force: true });
  });
  return { home, installed };
}
