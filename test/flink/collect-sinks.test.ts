/** collect's InfluxDB writes: batches the server takes, a bounded backlog while it is down, drops counted. */
import { describe, it, after } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { influxdbSink, pushgatewaySink, INFLUX_BATCH } from "../../flink/collect-sinks.js";
import type { Sample } from "../../flink/rest/samples.js";
import { freePort } from "../helpers/servers.js";

const servers: Server[] = [];
after(() => servers.forEach((s) => s.close()));

/** An InfluxDB /write stand-in: answers `status()` and records the lines of every accepted request. */
async function influx(status: () => number): Promise<{ url: string; batches: number[] }> {
  const port = await freePort();
  const batches: number[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      const code = status();
      if (code === 204) batches.push(body.trim().split("\n").length);
      res.writeHead(code).end(code === 204 ? "" : '{"error":"down"}');
    });
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  servers.push(server);
  return { url: `http://127.0.0.1:${port}`, batches };
}

const samples = (n: number): Sample[] =>
  Array.from({ length: n }, (_, i) => ({
    scope: "taskmanager" as const,
    path: "Status.JVM.CPU.Load",
    labels: { host: "h", tm_id: `tm${i}` },
    type: "gauge" as const,
    value: 0.5,
  }));

const target = (url: string) => ({ url, db: "flink", retentionPolicy: "rp", user: "u", password: "p", cluster: "c" });

describe("collect's InfluxDB sink", () => {
  it("writes in batches of at most INFLUX_BATCH points", async () => {
    const server = await influx(() => 204);
    const report = await influxdbSink(target(server.url)).write(samples(12_000));
    assert.deepEqual(server.batches, [INFLUX_BATCH, INFLUX_BATCH, 2000]);
    assert.equal(report.requests, 3);
  });

  it("keeps what a down InfluxDB did not take and writes it once it is back", async () => {
    let up = false;
    const server = await influx(() => (up ? 204 : 503));
    const sink = influxdbSink(target(server.url));
    await assert.rejects(sink.write(samples(100)), /InfluxDB answered 503/);
    up = true;
    const report = await sink.write(samples(100));
    assert.deepEqual(server.batches, [200], "the cycle that failed, then this one");
    assert.equal(report.note, undefined, "nothing dropped");
  });

  it("drops the oldest points beyond the backlog, and says how many", async () => {
    let up = false;
    const server = await influx(() => (up ? 204 : 503));
    const sink = influxdbSink(target(server.url), { batch: 100, backlog: 150 });
    await assert.rejects(sink.write(samples(100)));
    await assert.rejects(sink.write(samples(100)));
    up = true;
    const report = await sink.write(samples(100));
    assert.deepEqual(server.batches, [100, 50]);
    assert.equal(report.note, "150 point(s) dropped while InfluxDB was down (backlog 150)");
  });
});

describe("collect's Pushgateway sink", () => {
  it("names what answered when the group list is not the Pushgateway's JSON", async () => {
    const port = await freePort();
    const server = createServer((req, res) => res.writeHead(200).end(req.url === "/api/v1/metrics" ? "<html>" : ""));
    await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
    servers.push(server);
    const url = `http://127.0.0.1:${port}`;
    await assert.rejects(
      pushgatewaySink(url, "flinkmon-collect", "c").write(samples(3)),
      new RegExp(`${url}/api/v1/metrics is not the Pushgateway's group list \\(JSON; Pushgateway 1\\.0\\+\\)`),
    );
  });
});
