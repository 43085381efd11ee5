/** The REST client against the fake Flink: retries, timeouts, auth and the errors a user sees. */
import { describe, it, after } from "node:test";
import assert from "node:assert/strict";
import { FlinkRestClient, FlinkRestError } from "../../../flink/rest/client.js";
import { startFakeFlink, type FakeFlink } from "../../helpers/fake-flink.js";
import { freePort } from "../../helpers/servers.js";
import type { Overview } from "../../../flink/rest/types.js";

const fakes: FakeFlink[] = [];
const fake = async (...args: Parameters<typeof startFakeFlink>) => {
  const f = await startFakeFlink(...args);
  fakes.push(f);
  return f;
};
after(async () => {
  for (const f of fakes) await f.close();
});

async function failure(promise: Promise<unknown>): Promise<FlinkRestError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof FlinkRestError, String(error));
    return error;
  }
  assert.fail("expected a FlinkRestError");
}

describe("Flink REST client", () => {
  it("reads typed JSON", async () => {
    const f = await fake();
    const overview = await new FlinkRestClient({ baseUrl: f.url }).get<Overview>("/overview");
    assert.equal(overview["flink-version"], "1.20.0");
    assert.equal(overview.taskmanagers, 2);
  });

  it("retries transient failures with backoff", async () => {
    const f = await fake({ failFirst: 2 });
    const overview = await new FlinkRestClient({ baseUrl: f.url, retries: 2, backoffMs: 10 }).get<Overview>(
      "/overview",
    );
    assert.equal(overview["slots-total"], 8);
    assert.equal(f.requests.filter((p) => p === "/overview").length, 3);
  });

  it("gives up after its retries with the last error", async () => {
    const f = await fake({ failFirst: 5 });
    const e = await failure(new FlinkRestClient({ baseUrl: f.url, retries: 1, backoffMs: 10 }).get("/overview"));
    assert.equal(e.status, 503);
  });

  it("times out slow answers", async () => {
    const f = await fake({ delayMs: 300 });
    const e = await failure(new FlinkRestClient({ baseUrl: f.url, timeoutMs: 50, retries: 0 }).get("/overview"));
    assert.equal(e.kind, "timeout");
    assert.match(e.message, /did not answer within 50 ms/);
    assert.equal(
      (await new FlinkRestClient({ baseUrl: f.url, timeoutMs: 2000 }).get<Overview>("/overview")).taskmanagers,
      2,
    );
  });

  it("names unreachable hosts, 401, 404 and non-JSON answers", async () => {
    const closed = await freePort();
    const unreachable = await failure(
      new FlinkRestClient({ baseUrl: `http://127.0.0.1:${closed}`, retries: 0 }).get("/overview"),
    );
    assert.equal(unreachable.kind, "unreachable");
    assert.match(unreachable.message, /cannot reach .*ECONNREFUSED/);
    const secured = await fake({ basicAuth: { user: "ops", password: "s3cret" } });
    assert.equal((await failure(new FlinkRestClient({ baseUrl: secured.url }).get("/overview"))).kind, "unauthorized");
    assert.equal(
      (
        await new FlinkRestClient({
          baseUrl: secured.url,
          basicAuth: { user: "ops", password: "s3cret" },
        }).get<Overview>("/overview")
      ).taskmanagers,
      2,
    );
    const old = await fake({ missing: ["/jobmanager/config"] });
    assert.equal(
      (await failure(new FlinkRestClient({ baseUrl: old.url }).get("/jobmanager/config"))).kind,
      "not-found",
    );
    const html = await fake({ html: true });
    assert.match(
      (await failure(new FlinkRestClient({ baseUrl: html.url }).get("/overview"))).message,
      /did not answer JSON/,
    );
  });

  it("keeps the path prefix of a reverse proxy", async () => {
    const f = await fake({ prefix: "/flink" });
    for (const base of [`${f.url}/flink`, `${f.url}/flink/`]) {
      const overview = await new FlinkRestClient({ baseUrl: base }).get<Overview>("/overview");
      assert.equal(overview.taskmanagers, 2);
    }
    assert.deepEqual(f.requests, ["/flink/overview", "/flink/overview"]);
    assert.equal((await failure(new FlinkRestClient({ baseUrl: f.url }).get("/overview"))).kind, "not-found");
  });
});
