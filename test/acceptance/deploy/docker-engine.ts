/**
 * A real Docker engine (dockerd from Debian's docker.io) of the suite's own: its data, exec root, pid file and
 * socket in a temporary folder, no iptables rules and no IP forwarding (containers reach nothing beyond this
 * machine; published ports bind to loopback). Stopped by its pid file, never by name.
 */
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, openSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

export interface DockerEngine {
  /** DOCKER_HOST of the engine: unix://<folder>/docker.sock */
  readonly host: string;
  readonly log: () => string;
  docker(args: string[], input?: string): string;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `netns`: run the engine in this network namespace (a remote host's); its socket stays reachable from here. */
export async function startDockerEngine(dir: string, options: { netns?: string } = {}): Promise<DockerEngine> {
  if (!existsSync("/usr/sbin/dockerd"))
    throw new Error("no dockerd: run `npm run test:acceptance:deps` (installs Debian's docker.io)");
  mkdirSync(dir, { recursive: true });
  const socket = join(dir, "docker.sock");
  const pidFile = join(dir, "dockerd.pid");
  const logFile = join(dir, "dockerd.log");
  const out = openSync(logFile, "a");
  // nsenter enters the network namespace only: `ip netns exec` would also remount /sys and hide the cgroups.
  const [command, prefix] = options.netns
    ? ["nsenter", [`--net=/run/netns/${options.netns}`, "dockerd"]]
    : ["dockerd", []];
  const child = spawn(
    command,
    [
      ...prefix,
      "--data-root",
      join(dir, "root"),
      "--exec-root",
      join(dir, "exec"),
      "--pidfile",
      pidFile,
      "-H",
      `unix://${socket}`,
      "--storage-driver",
      "overlay2",
      "--iptables=false",
      "--ip-forward=false",
      "--ip-masq=false",
    ],
    { stdio: ["ignore", out, out], detached: true },
  );
  child.unref();
  const host = `unix://${socket}`;
  const log = () => (existsSync(logFile) ? readFileSync(logFile, "utf8") : "");
  const docker = (args: string[], input?: string) =>
    execFileSync("docker", args, {
      env: { ...process.env, DOCKER_HOST: host },
      encoding: "utf8",
      input,
      maxBuffer: 64 << 20,
      // stderr goes into the error thrown (polling the starting engine would print "Cannot connect" otherwise).
      stdio: ["pipe", "pipe", "pipe"],
    });
  for (let i = 0; i < 120; i++) {
    try {
      docker(["version", "--format", "{{.Server.Version}}"]);
      break;
    } catch {
      if (child.exitCode !== null) throw new Error(`dockerd exited (${child.exitCode}):\n${log().slice(-2000)}`);
      await sleep(250);
      if (i === 119) throw new Error(`dockerd did not answer within 30 s:\n${log().slice(-2000)}`);
    }
  }
  return {
    host,
    log,
    docker,
    async stop() {
      try {
        const running = docker(["ps", "-aq"]).split("\n").filter(Boolean);
        if (running.length > 0) docker(["rm", "-f", ...running]);
        // A network's bridge lives in the kernel, not in the data root: left behind, every run would take one of
        // Docker's address pools until none is free.
        docker(["network", "prune", "-f"]);
      } catch {
        // the engine may already be gone
      }
      const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, "utf8")) : child.pid;
      if (pid) {
        try {
          process.kill(pid, "SIGTERM");
        } catch {
          return;
        }
        for (let i = 0; i < 80 && existsSync(pidFile); i++) await sleep(250);
      }
      // Overlay mounts below the data root are gone once dockerd stopped; then the folder can go.
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}
