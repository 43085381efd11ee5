/** Property tests: any valid config renders a file its Flink version parses, the same every time, without duplicate keys. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { configFromObject } from "../../config/load.js";
import { ConfigError } from "../../config/errors.js";
import { renderFlinkConf } from "../../templates/flink-conf.js";
import { parseLegacyFlinkConf, parseNestedFlinkConfig } from "../helpers/flink-parsers.js";

const versions = fc.constantFrom(
  "1.9",
  "1.10",
  "1.11.1",
  "1.12",
  "1.13",
  "1.14.6",
  "1.15",
  "1.16",
  "1.17",
  "1.18.1",
  "1.19",
  "1.20",
  "2.0",
  "2.1",
  "2.x",
);
const reporters = fc.uniqueArray(
  fc.constantFrom("jmx", "prometheus", "pushgateway", "influxdb", "statsd", "graphite", "slf4j", "datadog"),
  { minLength: 1 },
);
const word = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/);
// "cluster" is flinkmon's own label (flink.cluster), refused in these maps.
const labels = fc.dictionary(
  word.filter((w) => w !== "cluster"),
  word,
  { maxKeys: 3 },
);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const configArb = fc.record({
  flink: fc.record({
    version: versions,
    reporters,
    sharedHost: fc.boolean(),
    interval: fc.constantFrom("5s", "15s", "1m", "90s"),
    reporter: fc.record({
      prometheus: fc.record({
        filterLabelValueCharacters: maybe(fc.boolean()),
        filterIncludes: maybe(
          fc.array(fc.constantFrom("*:numRecords*", "jobmanager:*", "*.job.task.operator"), { minLength: 1 }),
        ),
      }),
      pushgateway: fc.record({ jobName: word, groupingKey: maybe(labels), deleteOnShutdown: maybe(fc.boolean()) }),
      influxdb: fc.record({
        consistency: maybe(fc.constantFrom("ALL", "ANY", "ONE", "QUORUM")),
        scheme: maybe(fc.constantFrom("http", "https")),
      }),
      graphite: fc.record({ protocol: maybe(fc.constantFrom("TCP", "UDP")), prefix: maybe(word) }),
      datadog: fc.record({ dataCenter: maybe(fc.constantFrom("US", "EU")), scopeVariablesAdditional: maybe(labels) }),
    }),
  }),
});

/** Drops undefined fields the way a YAML file would simply not have them. */
const clean = (value: unknown) => JSON.parse(JSON.stringify(value));

describe("reporter configuration properties", () => {
  it("output parses back, is deterministic and has no duplicate keys", () => {
    let rendered = 0;
    fc.assert(
      fc.property(configArb, (raw) => {
        let config;
        try {
          config = configFromObject(clean(raw), "property");
        } catch (error) {
          // Options the drawn version lacks are rejected with a message naming the version.
          assert.ok(error instanceof ConfigError);
          assert.ok(
            error.issues.every((i) => /Flink \d+\.(\d+|x) (has no|cannot use|PushGateway)/.test(i.message)),
            error.message,
          );
          return;
        }
        const first = renderFlinkConf(config);
        const second = renderFlinkConf(configFromObject(clean(raw), "property"));
        assert.equal(first.content, second.content);
        const keys =
          first.file === "flink/config.yaml"
            ? parseNestedFlinkConfig(first.content)
            : parseLegacyFlinkConf(first.content);
        const listed = String(keys.get("metrics.reporters")).split(",");
        assert.equal(listed.length, config.flink.reporters.length);
        for (const instance of listed) {
          const loader = [...keys.keys()].filter(
            (k) => k === `metrics.reporter.${instance}.factory.class` || k === `metrics.reporter.${instance}.class`,
          );
          assert.equal(loader.length, 1, `${instance} needs exactly one class key`);
        }
        rendered++;
      }),
      { numRuns: 300, seed: 20261125 },
    );
    assert.ok(rendered > 100, `only ${rendered} configs rendered`);
  });
});
