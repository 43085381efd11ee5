/**
 * `npm run bench:collect`: one `flinkmon collect --once` cycle (the bin, a process of its own) against the fake
 * large cluster of test/helpers/fake-cluster.ts (metric ids recorded from real Flink 1.20.5), 50 jobs × 10 vertices
 * × parallelism 16 on 10, 100 and 200 TaskManagers, into a stand-in Pushgateway that takes the PUTs (one group per host). Prints cycle
 * time, requests, most in flight, series and the collect process's peak memory, and how long `doctor` takes on the
 * same cluster. Figures, not assertions (goals: a cycle ≤ 10 s with ≤ 16 requests in flight, doctor ≤ 10 s).
 */
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { existsSync } from "node:fs";
import { startFakeCluster } from "../helpers/fake-cluster.js";
import { CLI } from "../helpers/cli.js";
import { freePort } from "../helpers/servers.js";

const TIME = "/usr/bin/time";

async function sinkServer(): Promise<{ url: string; bytes: () => number; close: () => void }> {
  const port = await freePort();
  let bytes = 0;
  const server = createServer((req, res) => {
    req.on("data", (d: Buffer) => (bytes += d.length));
    // The group listing collect reads to delete the groups of hosts gone: none here.
    req.on("end", () =>
      req.url === "/api/v1/metrics"
        ? res.writeHead(200).end('{"status":"success","data":[]}')
        : res.writeHead(202).end(),
    );
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${port}`, bytes: () => bytes, close: () => server.close() };
}

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const timed = existsSync(TIME);
  const child = timed
    ? spawn(TIME, ["-f", "peak-rss-kb %M", process.execPath, CLI, ...args])
    : spawn(process.execPath, [CLI, ...args]);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  return new Promise((r) => child.on("close", (code) => r({ code: code ?? -1, stdout, stderr })));
}

console.log("flinkmon bench:collect: one cycle of collect --once, 50 jobs × 10 vertices × parallelism 16");
console.log("TaskManagers  cycle ms  requests  max in flight  series   pushed MB  peak RSS MB  doctor ms");
for (const taskManagers of [10, 100, 200]) {
  const cluster = await startFakeCluster({ taskManagers, jobs: 50, verticesPerJob: 10, parallelism: 16 });
  const sink = await sinkServer();
  try {
    const r = await run(["collect", "--defaults", "--rest-url", cluster.url, "--pushgateway-url", sink.url, "--once"]);
    const line = /: (\d+) series .* in (\d+) ms, (\d+) REST requests/.exec(r.stdout);
    const rss = /peak-rss-kb (\d+)/.exec(r.stderr);
    const doctorStart = Date.now();
    await run(["doctor", "--defaults", "--rest-url", cluster.url]);
    const doctorMs = Date.now() - doctorStart;
    if (r.code !== 0 || !line) {
      console.error(`collect failed (exit ${r.code}):\n${r.stdout}${r.stderr}`);
      process.exitCode = 2;
      continue;
    }
    console.log(
      [
        String(taskManagers).padStart(12),
        line[2]!.padStart(9),
        line[3]!.padStart(9),
        String(cluster.stats.maxInFlight).padStart(14),
        line[1]!.padStart(7),
        (sink.bytes() / 1e6).toFixed(1).padStart(11),
        (rss ? (Number(rss[1]) / 1024).toFixed(0) : "?").padStart(12),
        String(doctorMs).padStart(10),
      ].join(" "),
    );
  } finally {
    sink.close();
    await cluster.close();
  }
}
