/**
 * A second machine for `docker.host: ssh://…`, on this one: a network namespace of its own (a veth pair, a /30 of
 * 10.250.0.0/16), a Docker engine and Debian's sshd inside it. sshd accepts one key the test makes, for root, and
 * gives sessions DOCKER_HOST of that engine (SetEnv), as a remote host's default socket would be. The client side is
 * an ssh_config (the key, a known_hosts with the host key, BatchMode) that a wrapper `ssh` first on PATH reads: it
 * stands in for a user's ~/.ssh/config (ssh reads the home directory from the password file, not $HOME).
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { startDockerEngine, type DockerEngine } from "./docker-engine.js";
import { installSshd } from "./install-sshd.js";

export interface RemoteHost {
  /** The remote's address, reachable from here over the veth pair. */
  readonly address: string;
  /** DOCKER_HOST for the remote engine: ssh://root@address */
  readonly dockerHost: string;
  /** Put first on PATH: its `ssh` uses the test's client config. */
  readonly sshBinDir: string;
  /** The remote engine, talked to over its socket (for checks, not for the deploy). */
  readonly engine: DockerEngine;
  stop(): Promise<void>;
}

const ip = (...args: string[]) => execFileSync("ip", args, { stdio: ["ignore", "ignore", "pipe"] });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function answers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1000 }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => (socket.destroy(), resolve(false)));
  });
}

export async function startRemoteHost(dir: string): Promise<RemoteHost> {
  const sshd = await installSshd();
  mkdirSync(dir, { recursive: true });
  const id = process.pid % 16_000;
  const netns = `flinkmon-remote-${process.pid}`;
  const [local, remote] = [`fmr${id}a`, `fmr${id}b`];
  const subnet = `10.250.${Math.floor(id / 64)}.${(id % 64) * 4}`;
  const base = subnet.split(".").map(Number);
  const at = (n: number) => [...base.slice(0, 3), base[3]! + n].join(".");
  const address = at(2);
  let engine: DockerEngine | undefined;
  let server: ChildProcess | undefined;
  const stop = async () => {
    server?.kill("SIGTERM");
    await engine?.stop();
    for (const args of [
      ["link", "delete", local],
      ["netns", "delete", netns],
    ]) {
      try {
        ip(...args);
      } catch {
        // never created
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    ip("netns", "add", netns);
    ip("link", "add", local, "type", "veth", "peer", "name", remote);
    ip("link", "set", remote, "netns", netns);
    ip("addr", "add", `${at(1)}/30`, "dev", local);
    ip("link", "set", local, "up");
    for (const args of [
      ["addr", "add", `${address}/30`, "dev", remote],
      ["link", "set", remote, "up"],
      ["link", "set", "lo", "up"],
    ])
      ip("netns", "exec", netns, "ip", ...args);
    engine = await startDockerEngine(join(dir, "engine"), { netns });

    const keygen = (file: string) =>
      execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "flinkmon-acceptance", "-f", file]);
    const hostKey = join(dir, "ssh_host_ed25519_key");
    const clientKey = join(dir, "id_ed25519");
    keygen(hostKey);
    keygen(clientKey);
    writeFileSync(join(dir, "authorized_keys"), readFileSync(`${clientKey}.pub`));
    writeFileSync(
      join(dir, "sshd_config"),
      [
        `ListenAddress ${address}:22`,
        `HostKey ${hostKey}`,
        `PidFile ${join(dir, "sshd.pid")}`,
        `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
        "PermitRootLogin prohibit-password",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "UsePAM no",
        // The test's folders are under /tmp, which StrictModes would refuse as the key's parents.
        "StrictModes no",
        `SetEnv DOCKER_HOST=${engine.host}`,
        "",
      ].join("\n"),
    );
    // sshd drops privileges to the user "sshd" in /run/sshd, which the package would create. The remote host gets
    // them in a mount namespace of its own (a passwd with that user bound over /etc/passwd for sshd and its sessions),
    // so this machine's users are not changed; /run/sshd is an empty directory.
    mkdirSync("/run/sshd", { recursive: true });
    const passwd = readFileSync("/etc/passwd", "utf8");
    writeFileSync(
      join(dir, "passwd"),
      /^sshd:/m.test(passwd) ? passwd : `${passwd.trimEnd()}\nsshd:x:64999:65534::/run/sshd:/usr/sbin/nologin\n`,
    );
    const start = `mount --bind ${join(dir, "passwd")} /etc/passwd && exec ${sshd.binary} -D -e -f ${join(dir, "sshd_config")}`;
    server = spawn(
      "nsenter",
      [`--net=/run/netns/${netns}`, "unshare", "--mount", "--propagation", "private", "sh", "-c", start],
      { env: { ...process.env, LD_LIBRARY_PATH: sshd.libraryPath }, stdio: ["ignore", "ignore", "pipe"] },
    );
    let log = "";
    server.stderr!.on("data", (d) => (log += d));
    for (let i = 0; !(await answers(address, 22)); i++) {
      if (server.exitCode !== null || i === 80) throw new Error(`sshd did not start:\n${log}`);
      await sleep(250);
    }

    writeFileSync(join(dir, "known_hosts"), `${address} ${readFileSync(`${hostKey}.pub`, "utf8")}`);
    writeFileSync(
      join(dir, "ssh_config"),
      [
        `Host ${address}`,
        `  IdentityFile ${clientKey}`,
        "  IdentitiesOnly yes",
        `  UserKnownHostsFile ${join(dir, "known_hosts")}`,
        "  StrictHostKeyChecking yes",
        "  BatchMode yes",
        "",
      ].join("\n"),
    );
    const bin = join(dir, "bin");
    mkdirSync(bin);
    writeFileSync(join(bin, "ssh"), `#!/bin/sh\nexec /usr/bin/ssh -F ${join(dir, "ssh_config")} "$@"\n`);
    chmodSync(join(bin, "ssh"), 0o755);
    return { address, dockerHost: `ssh://root@${address}`, sshBinDir: bin, engine, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
