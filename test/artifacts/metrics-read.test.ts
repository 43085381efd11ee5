/**
 * What the generated files read, and the reporter filters built from it: every metric a dashboard, alert or
 * recording rule names is sent, nothing else is; versions without filters get a note, never the key.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { configFromObject } from "../../config/load.js";
import { build } from "../../artifacts/build.js";
import { metricsRead } from "../../artifacts/metrics-read.js";
import { CATALOG } from "../../flink/catalog.js";
import { parseLegacyFlinkConf, parseNestedFlinkConfig } from "../helpers/flink-parsers.js";

const both = { reporters: ["prometheus", "influxdb"] };

describe("metrics the generated files read", () => {
  const config = configFromObject({
    flink: { version: "1.20", ...both },
    customMetrics: [{ name: "events", type: "counter" }],
  });
  const { artifacts } = build(config);
  const read = metricsRead(config, [...artifacts.values()]);

  it("finds panel, alert and GC-pattern metrics in the files, and the custom ones", () => {
    for (const m of [
      CATALOG.taskmanager.heapUsed,
      CATALOG.jobmanager.registeredTaskManagers,
      CATALOG.taskmanager.gcTime,
    ])
      assert.ok(read.includes(m), `${m.scope} ${m.path}`);
    assert.ok(read.some((m) => m.path === "events"));
  });

  it("leaves out what no file names (RocksDB without rocksdbNativeMetrics)", () => {
    assert.ok(!read.some((m) => m.name?.startsWith("rocksdb.")));
  });

  it("is what each reporter flinkmon reads is filtered to, and JMX is left alone", () => {
    const conf = parseNestedFlinkConfig(artifacts.get("flink/config.yaml")!);
    const prom = String(conf.get("metrics.reporter.prom.filter.includes"));
    assert.equal(conf.get("metrics.reporter.influxdb.filter.includes"), prom);
    assert.match(prom, /(^|;)taskmanager\.Status\.JVM\.Memory\.Heap:Committed,Max,Used(;|$)/);
    assert.match(prom, /(^|;)taskmanager\.Status\.JVM\.GarbageCollector\.\*:Count,Time(;|$)/);
    assert.match(prom, /(^|;)taskmanager\.job\.task\.operator:[^;]*\bevents\b/);
    const withJmx = build(configFromObject({ flink: { version: "1.20", reporters: ["prometheus", "jmx"] } }));
    const jmx = parseNestedFlinkConfig(withJmx.artifacts.get("flink/config.yaml")!);
    assert.equal(jmx.get("metrics.reporter.jmx.filter.includes"), undefined);
  });

  it("is switched off by metricFilter.enabled, widened by metricFilter.keep, merged with a reporter's own", () => {
    const off = build(configFromObject({ flink: { version: "1.20", metricFilter: { enabled: false } } }));
    assert.equal(
      parseNestedFlinkConfig(off.artifacts.get("flink/config.yaml")!).get("metrics.reporter.prom.filter.includes"),
      undefined,
    );
    const more = build(
      configFromObject({
        flink: {
          version: "1.20",
          metricFilter: { keep: ["isBackPressured"] },
          reporter: { prometheus: { filterIncludes: ["jobmanager:*"] } },
        },
      }),
    );
    const includes = String(
      parseNestedFlinkConfig(more.artifacts.get("flink/config.yaml")!).get("metrics.reporter.prom.filter.includes"),
    ).split(";");
    assert.deepEqual(includes.slice(-2), ["*:isBackPressured", "jobmanager:*"]);
  });

  it("writes no filter key before Flink 1.16, a note instead", () => {
    const old = build(configFromObject({ flink: { version: "1.15", ...both } })).artifacts.get(
      "flink/flink-conf.yaml",
    )!;
    assert.equal(parseLegacyFlinkConf(old).get("metrics.reporter.prom.filter.includes"), undefined);
    assert.match(
      old,
      /# filter: Flink 1\.15 has no reporter filters \(1\.16\+\): it sends every metric, not only the \d+ flinkmon reads/,
    );
  });

  it("refuses a keep entry that is neither a name nor a filter pattern, naming the field", () => {
    assert.throws(
      () => configFromObject({ flink: { metricFilter: { keep: ["a b"] } } }),
      /flink\.metricFilter\.keep\[0\]: .*must be a metric name or a Flink filter pattern/,
    );
  });
});
