/**
 * Debian's OpenSSH server for the remote-host test, unpacked into the cache keyed by the package version, never
 * installed: the package would start a system sshd listening on every address. Its one library the machine may lack
 * (libwrap0) is unpacked beside it.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { CACHE, once } from "../cache.js";

const PACKAGES = ["openssh-server", "libwrap0"];

/** The version apt would install now (Debian keeps one per release). */
function candidate(pkg: string): string {
  const policy = execFileSync("apt-cache", ["policy", pkg], { encoding: "utf8" });
  const version = /Candidate:\s*(\S+)/.exec(policy)?.[1];
  if (!version || version === "(none)") throw new Error(`apt has no ${pkg}: run apt-get update`);
  return version;
}

export interface Sshd {
  /** /…/usr/sbin/sshd */
  readonly binary: string;
  /** LD_LIBRARY_PATH for it. */
  readonly libraryPath: string;
  readonly version: string;
  readonly installed: boolean;
}

export async function installSshd(): Promise<Sshd> {
  const version = candidate("openssh-server");
  const dir = join(CACHE, "tools", `openssh-server-${version.replace(/[^\w.+-]/g, "_")}`);
  const installed = await once(dir, async (staging) => {
    const debs = join(staging, "debs");
    mkdirSync(debs, { recursive: true });
    execFileSync("apt-get", ["download", "-q", ...PACKAGES.map((p) => `${p}=${candidate(p)}`)], {
      cwd: debs,
      stdio: ["ignore", "ignore", "inherit"],
    });
    for (const deb of readdirSync(debs)) execFileSync("dpkg", ["-x", join(debs, deb), join(staging, "root")]);
  });
  return {
    binary: join(dir, "root", "usr", "sbin", "sshd"),
    libraryPath: join(dir, "root", "usr", "lib", "x86_64-linux-gnu"),
    version,
    installed,
  };
}
