/**
 * Each rule of the Grafana conformance check can fail: a valid Grafana (flinkmon's own output for both stores)
 * is broken in one place per test, and the exact message is asserted.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parse, stringify } from "yaml";
import { configFromObject } from "../../config/load.js";
import { build } from "../../artifacts/build.js";
import { dockerGrafana } from "../../conformance/flinkmon.js";
import { checkGrafana, formatFinding, type GrafanaInstance } from "../../conformance/grafana/index.js";
import { durationError, envKey, referencedVariables } from "../../conformance/grafana/facts.js";

const config = configFromObject(
  { flink: { reporters: ["prometheus", "influxdb"] }, alerts: { contactPoint: { type: "slack" } } },
  "test",
);
const VALID = dockerGrafana(config, build(config).artifacts);
const ALERTING = "alerting/flinkmon-alerts.yaml";
const DATASOURCES = "datasources/flinkmon.yaml";
const PROVIDERS = "dashboards/flinkmon.yaml";
const JOB_DASHBOARD = "/etc/flinkmon/dashboards/prometheus/flink-job.json";

type Doc = any;
/** VALID with one provisioning file changed. */
function withFile(path: string, change: (doc: Doc) => void): GrafanaInstance {
  const doc = parse(VALID.provisioning.get(path)!);
  change(doc);
  return { ...VALID, provisioning: new Map([...VALID.provisioning, [path, stringify(doc)]]) };
}
/** VALID with one dashboard changed. */
function withDashboard(path: string, change: (doc: Doc) => void): GrafanaInstance {
  const doc = JSON.parse(VALID.files.get(path)!);
  change(doc);
  return { ...VALID, files: new Map([...VALID.files, [path, JSON.stringify(doc)]]) };
}
const rule = (doc: Doc, uid = "flinkmon-job-not-running") => doc.groups[0].rules.find((r: Doc) => r.uid === uid);
const messages = (instance: GrafanaInstance) => checkGrafana(instance).map(formatFinding);
const R = `${ALERTING}: groups[0] "flinkmon" rule "flinkmon-job-not-running"`;

describe("Grafana conformance rules", () => {
  it("accepts flinkmon's own output (the base of every case below)", () => {
    assert.deepEqual(messages(VALID), []);
  });

  describe("alert rules", () => {
    const cases: [string, (d: Doc) => void, string][] = [
      [
        "__dashboardUid__ without __panelId__",
        (d) => delete rule(d).annotations.__panelId__,
        `${R}: __dashboardUid__ without __panelId__: Grafana refuses it ("both annotations __dashboardUid__ and __panelId__ must be specified")`,
      ],
      [
        "__panelId__ not an integer",
        (d) => (rule(d).annotations.__panelId__ = "four"),
        `${R}: __panelId__ "four" is not an integer ("annotation __panelId__ must be a valid integer Panel ID")`,
      ],
      [
        "the file format's dashboardUid without panelId",
        (d) => (rule(d).dashboardUid = "flink-job-prom"),
        `${R}: dashboardUid without panelId: Grafana refuses it ("both annotations __dashboardUid__ and __panelId__ must be specified")`,
      ],
      [
        "a link to a dashboard that is not provisioned",
        (d) => (rule(d).annotations.__dashboardUid__ = "nope"),
        `${R}: links to dashboard "nope", which is not provisioned`,
      ],
      [
        "a link to a panel the dashboard lacks",
        (d) => (rule(d).annotations.__panelId__ = "999"),
        `${R}: links to panel 999 of dashboard "flink-job-prom", which has no such panel`,
      ],
      [
        "a uid over 40 characters",
        (d) => (rule(d).uid = "x".repeat(41)),
        `${ALERTING}: groups[0] "flinkmon" rule "${"x".repeat(41)}": uid is 41 characters long; Grafana allows at most 40`,
      ],
      [
        "a uid with other characters",
        (d) => (rule(d).uid = "flinkmon job"),
        `${ALERTING}: groups[0] "flinkmon" rule "flinkmon job": uid has characters outside [a-zA-Z0-9_-]`,
      ],
      [
        "two rules with one uid",
        (d) => (d.groups[0].rules[1].uid = "flinkmon-job-not-running"),
        `${R}: uid is also the uid of rule "Flink job not running"`,
      ],
      [
        "two rules with one title in a folder",
        (d) => (d.groups[0].rules[1].title = "Flink job not running"),
        `${ALERTING}: groups[0] "flinkmon" rule "flinkmon-job-restarting": title "Flink job not running" is also the title of rule "flinkmon-job-not-running" in folder "Flink"`,
      ],
      ["a rule without a title", (d) => delete rule(d).title, `${R}: rule has no title set`],
      [
        "a condition that is no refId",
        (d) => (rule(d).condition = "Z"),
        `${R}: Condition Z does not exist, must be one of [A B C]`,
      ],
      ["no condition", (d) => delete rule(d).condition, `${R}: failed to parse: no condition set`],
      ["no data", (d) => (rule(d).data = []), `${R}: failed to parse: no data set`],
      [
        "an unknown noDataState",
        (d) => (rule(d).noDataState = "Nothing"),
        `${R}: unknown NoData state option Nothing (allowed: NoData, Alerting, OK, KeepLast)`,
      ],
      [
        "an unknown execErrState",
        (d) => (rule(d).execErrState = "Panic"),
        `${R}: unknown Error state option Panic (allowed: Error, Alerting, OK, KeepLast)`,
      ],
      [
        "a 'for' Grafana cannot parse",
        (d) => (rule(d).for = "5 minutes"),
        `${R}: failed to parse 'for' field: not a valid duration string: "5 minutes"`,
      ],
      [
        "a group interval Grafana cannot parse",
        (d) => (d.groups[0].interval = "1.5m"),
        `${ALERTING}: groups[0] "flinkmon": interval: not a valid duration string: "1.5m"`,
      ],
      [
        "a group without folder",
        (d) => delete d.groups[0].folder,
        `${ALERTING}: groups[0] "flinkmon": rule group has no folder set`,
      ],
      [
        "a query on a data source that does not exist",
        (d) => (rule(d).data[0].datasourceUid = "gone"),
        `${R}: query A reads data source "gone", which does not exist`,
      ],
      [
        "a PromQL alert grouped by a label its metric lacks",
        (d) => (rule(d).data[0].model.expr = "max by (tm_id) (flink_jobmanager_job_downtime)"),
        `${R}: query A: max by (tm_id) groups by tm_id, which flink_jobmanager_job_downtime does not have (it has host, job_id, job_name, job, instance, quantile, cluster); Grafana's evaluator rejects a result whose series share a label set ("frame cannot uniquely be identified by its labels")`,
      ],
    ];
    for (const [name, change, expected] of cases) {
      it(name, () => assert.deepEqual(messages(withFile(ALERTING, change)), [expected]));
    }

    it("an InfluxQL alert over a regex of measurements (the old GC alert)", () => {
      const influx = configFromObject(
        { flink: { reporters: ["influxdb"] }, alerts: { contactPoint: { type: "slack" } } },
        "test",
      );
      const base = dockerGrafana(influx, build(influx).artifacts);
      const doc = parse(base.provisioning.get(ALERTING)!);
      const gc = rule(doc, "flinkmon-gc-time-high");
      gc.data[0].model.query =
        'SELECT non_negative_derivative(last("value"), 1s) AS "value" FROM /^taskmanager_Status_JVM_GarbageCollector_.+_Time$/ WHERE $timeFilter GROUP BY time(1m), "tm_id" fill(none)';
      const broken = { ...base, provisioning: new Map([...base.provisioning, [ALERTING, stringify(doc)]]) };
      assert.deepEqual(messages(broken), [
        `${ALERTING}: groups[0] "flinkmon" rule "flinkmon-gc-time-high": query A: FROM /^taskmanager_Status_JVM_GarbageCollector_.+_Time$/ can match several measurements, and each gives a series with the same tags (tm_id); Grafana's evaluator rejects a result whose series share a label set ("frame cannot uniquely be identified by its labels")`,
      ]);
      gc.data[0].model.query =
        'SELECT max("value") FROM "taskmanager_Status_JVM_GarbageCollector_All_Time" WHERE $timeFilter GROUP BY time(1m), "job_name"';
      const wrongTag = { ...base, provisioning: new Map([...base.provisioning, [ALERTING, stringify(doc)]]) };
      assert.deepEqual(messages(wrongTag), [
        `${ALERTING}: groups[0] "flinkmon" rule "flinkmon-gc-time-high": query A: GROUP BY job_name: measurement taskmanager_Status_JVM_GarbageCollector_All_Time has no such tag (it has host, tm_id, cluster); Grafana's evaluator rejects a result whose series share a label set ("frame cannot uniquely be identified by its labels")`,
      ]);
    });
  });

  describe("contact points and policies", () => {
    const CP = `${ALERTING}: contactPoints[0] "flinkmon"`;
    const cases: [string, (d: Doc) => void, string][] = [
      [
        "slack without url, token and recipient",
        (d) => (d.contactPoints[0].receivers[0].settings = {}),
        `${CP}: receiver "flinkmon-slack": failed to validate integration "flinkmon" of type "slack": recipient must be specified when using the Slack chat API`,
      ],
      [
        "slack with a token but no recipient",
        (d) => (d.contactPoints[0].receivers[0].settings = { token: "xoxb" }),
        `${CP}: receiver "flinkmon-slack": failed to validate integration "flinkmon" of type "slack": recipient must be specified when using the Slack chat API`,
      ],
      [
        "slack with a recipient but no token",
        (d) => (d.contactPoints[0].receivers[0].settings = { recipient: "#flink" }),
        `${CP}: receiver "flinkmon-slack": failed to validate integration "flinkmon" of type "slack": token must be specified when using the Slack chat API`,
      ],
      [
        "webhook without url",
        (d) => Object.assign(d.contactPoints[0].receivers[0], { type: "webhook", settings: { httpMethod: "POST" } }),
        `${CP}: receiver "flinkmon-slack": failed to validate integration "flinkmon" of type "webhook": required field 'url' is not specified`,
      ],
      [
        "email without addresses",
        (d) => Object.assign(d.contactPoints[0].receivers[0], { type: "email", settings: { singleEmail: true } }),
        `${CP}: receiver "flinkmon-slack": failed to validate integration "flinkmon" of type "email": could not find addresses in settings`,
      ],
      [
        "a receiver uid Grafana refuses",
        (d) => (d.contactPoints[0].receivers[0].uid = "flinkmon slack"),
        `${CP}: receiver "flinkmon slack": uid has characters outside [a-zA-Z0-9_-]`,
      ],
      [
        "a policy naming no contact point",
        (d) => (d.policies[0].receiver = "oncall"),
        `${ALERTING}: policies[0]: receiver "oncall" is not a contact point (known: flinkmon, grafana-default-email)`,
      ],
      [
        "a policy timing Grafana cannot parse",
        (d) => (d.policies[0].repeat_interval = "4 hours"),
        `${ALERTING}: policies[0]: repeat_interval: not a valid duration string: "4 hours"`,
      ],
    ];
    for (const [name, change, expected] of cases) {
      it(name, () => assert.deepEqual(messages(withFile(ALERTING, change)), [expected]));
    }

    it('a Slack URL variable the container lacks: expanded to "", so Slack\'s chat API rules apply', () => {
      const environment = new Set([...VALID.environment].filter((n) => n !== "FLINKMON_SLACK_WEBHOOK_URL"));
      assert.deepEqual(messages({ ...VALID, environment }), [
        `${ALERTING}: contactPoints[0] "flinkmon": receiver "flinkmon-slack": failed to validate integration "flinkmon" of type "slack": recipient must be specified when using the Slack chat API`,
        `${ALERTING}: contactPoints[0].receivers[0].settings.url: references $FLINKMON_SLACK_WEBHOOK_URL, which Grafana's environment does not set (Grafana expands it to "")`,
      ]);
    });
  });

  describe("data sources, dashboards and the environment", () => {
    it("two default data sources", () => {
      assert.deepEqual(messages(withFile(DATASOURCES, (d) => (d.datasources[1].isDefault = true))), [
        `${DATASOURCES}: datasources[1] "Flink InfluxDB": is a second default data source; Grafana allows one per organization`,
      ]);
    });
    it("a data source uid Grafana refuses, and one used twice", () => {
      assert.deepEqual(
        messages(withFile(DATASOURCES, (d) => (d.datasources[1].uid = "flinkmon-prometheus"))).slice(0, 1),
        [`${DATASOURCES}: datasources[1] "Flink InfluxDB": uid "flinkmon-prometheus" is used by another data source`],
      );
      assert.deepEqual(
        messages(withFile(DATASOURCES, (d) => (d.datasources[0].uid = "flinkmon/prometheus"))).slice(0, 1),
        [
          `${DATASOURCES}: datasources[0] "Flink Prometheus": uid "flinkmon/prometheus" has characters outside [a-zA-Z0-9_-]`,
        ],
      );
    });
    it("a data source password variable the container lacks", () => {
      const environment = new Set([...VALID.environment].filter((n) => n !== "FLINKMON_INFLUXDB_READ_PASSWORD"));
      assert.deepEqual(messages({ ...VALID, environment }), [
        `${DATASOURCES}: datasources[1].secureJsonData.password: references $FLINKMON_INFLUXDB_READ_PASSWORD, which Grafana's environment does not set (Grafana expands it to "")`,
      ]);
    });
    it("a GF_ variable that is no Grafana setting", () => {
      assert.deepEqual(messages({ ...VALID, environment: new Set([...VALID.environment, "GF_SMTP_FROM_EMAIL"]) }), [
        "environment: GF_SMTP_FROM_EMAIL is not a Grafana setting (conf/defaults.ini has no such section and key): Grafana ignores it",
      ]);
    });
    it("a provider path that holds no dashboard", () => {
      assert.deepEqual(
        messages(withFile(PROVIDERS, (d) => (d.providers[0].options.path = "/var/lib/grafana/dashboards"))).slice(0, 1),
        [`${PROVIDERS}: providers[0]: reads /var/lib/grafana/dashboards, which holds no dashboard file`],
      );
    });
    it("a provider without a path", () => {
      assert.deepEqual(messages(withFile(PROVIDERS, (d) => delete d.providers[0].options.path)).slice(0, 1), [
        `${PROVIDERS}: providers[0]: has no options.path (required)`,
      ]);
    });
    it("duplicate panel ids", () => {
      assert.deepEqual(messages(withDashboard(JOB_DASHBOARD, (d) => (d.panels[2].id = d.panels[1].id))), [
        `${JOB_DASHBOARD}: panel id 2 ("Restarts") is used by another panel of the dashboard`,
        // The alerts that linked to the panel now link to nothing.
        `${ALERTING}: groups[0] "flinkmon" rule "flinkmon-job-restarting": links to panel 3 of dashboard "flink-job-prom", which has no such panel`,
        `${ALERTING}: groups[0] "flinkmon" rule "flinkmon-job-restart-loop": links to panel 3 of dashboard "flink-job-prom", which has no such panel`,
      ]);
    });
    it("a dashboard uid used twice", () => {
      assert.deepEqual(messages(withDashboard(JOB_DASHBOARD, (d) => (d.uid = "flink-jobmanager-prom"))).slice(0, 1), [
        '/etc/flinkmon/dashboards/prometheus/flink-jobmanager.json: uid "flink-jobmanager-prom" is used by another dashboard',
      ]);
    });
    it("a panel reading a data source that does not exist", () => {
      assert.deepEqual(
        messages(
          withDashboard(
            JOB_DASHBOARD,
            (d) => (d.panels[1].targets[0].datasource = { type: "prometheus", uid: "gone" }),
          ),
        ),
        [`${JOB_DASHBOARD}: panel 2 "Running time": data source "gone" does not exist`],
      );
    });
    it("a data source variable of a type nothing provides", () => {
      assert.deepEqual(
        messages(withDashboard(JOB_DASHBOARD, (d) => (d.templating.list[0].query = "loki"))).slice(0, 1),
        [`${JOB_DASHBOARD}: variable "datasource": lists data sources of type "loki", and none is provisioned`],
      );
    });
    it("a file that is not YAML", () => {
      assert.deepEqual(
        messages({ ...VALID, provisioning: new Map([...VALID.provisioning, [DATASOURCES, "datasources: [\n"]]) })
          .slice(0, 1)[0]
          ?.startsWith(`${DATASOURCES}: is not valid YAML:`),
        true,
      );
    });
  });

  it("reads durations, variables and setting names as Grafana does", () => {
    assert.equal(durationError("1h30m"), undefined);
    assert.equal(durationError("0"), undefined);
    assert.equal(durationError(""), "empty duration string");
    assert.equal(durationError("90"), 'not a valid duration string: "90"');
    assert.deepEqual(referencedVariables("$A ${B} $$C $__env{D} {{ $labels.x }}"), ["A", "B", "D", "labels"]);
    assert.deepEqual(referencedVariables("{{ $labels.x }} ${B}", true), ["B"]);
    assert.equal(envKey("auth.anonymous", "enabled"), "GF_AUTH_ANONYMOUS_ENABLED");
    assert.equal(envKey("smtp", "startTLS_policy"), "GF_SMTP_STARTTLS_POLICY");
  });
});
