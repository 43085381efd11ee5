/**
 * The Grafana conformance check on what flinkmon really deploys, over a matrix of configs: the files and the
 * environment read back from the synthesized stacks (Docker: the container's uploads and env; Kubernetes: the
 * ConfigMaps and the env Secret), not from the generator that wrote them.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { synthStack, uploadsOf } from "../helpers/synth.js";
import { configFromObject } from "../../config/load.js";
import { build } from "../../artifacts/build.js";
import { checkGrafana, formatFinding, fromContainerFiles } from "../../conformance/grafana/index.js";
import { flinkMetricLabels, kubernetesGrafana } from "../../conformance/flinkmon.js";
import { alertUid } from "../../dashboards/alerts/annotations.js";

const SMTP = { smtp: { host: "smtp.example.com:587", user: "flinkmon", fromAddress: "flinkmon@example.com" } };
/** Two custom metrics whose names share far more than 40 characters. */
const LONG = "transactionsRejectedByTheFraudDetectorBecauseOfVelocityRules";
const CUSTOM = [
  { name: `${LONG}InEurope`, type: "counter", groups: ["fraud"], alert: { above: 5 } },
  { name: `${LONG}InAmerica`, type: "counter", groups: ["fraud"], alert: { above: 5 } },
  { name: "queueSize", type: "gauge", scope: "task", alert: { below: 1 } },
  { name: "scoreLatency", type: "histogram", alert: { above: 500 } },
  { name: "alertsSent", type: "meter", alert: { above: 10 } },
];
const EXTRAS = { latencyTrackingInterval: "30s", rocksdbNativeMetrics: true };

const MATRIX: Record<string, unknown> = {
  "prometheus only, email": { flink: { reporters: ["prometheus"] }, grafana: SMTP },
  "influxdb only, 1.18, webhook": {
    flink: { version: "1.18", reporters: ["influxdb"] },
    alerts: { contactPoint: { type: "webhook" } },
  },
  "influxdb only, 2.0, slack": {
    flink: { version: "2.0", reporters: ["influxdb"] },
    alerts: { contactPoint: { type: "slack" } },
  },
  "both stores, slack, custom metrics, RocksDB and latency": {
    flink: { reporters: ["prometheus", "pushgateway", "influxdb", "jmx"], ...EXTRAS },
    customMetrics: CUSTOM,
    alerts: { contactPoint: { type: "slack" } },
  },
  "both stores, 1.13, webhook": {
    flink: { version: "1.13", reporters: ["prometheus", "influxdb"] },
    alerts: { contactPoint: { type: "webhook" } },
    customMetrics: CUSTOM,
  },
  "email without SMTP (warned, still loads)": { flink: { reporters: ["prometheus"] } },
  "alerts off": { flink: { reporters: ["prometheus", "influxdb"] }, alerts: { enabled: false } },
};

/** The Grafana container of the synthesized Docker stack: its uploads and the names of its environment. */
function dockerGrafanaFromStack(raw: unknown) {
  const grafana = synthStack(raw).json.resource.docker_container.grafana;
  const env = new Set<string>((grafana.env as string[]).map((e) => e.slice(0, e.indexOf("="))));
  return { ...fromContainerFiles(uploadsOf(grafana), env), metricLabels: flinkMetricLabels };
}

describe("Grafana conformance of the deployed files", () => {
  for (const [name, raw] of Object.entries(MATRIX)) {
    it(`Docker: ${name}`, () => {
      const findings = checkGrafana(dockerGrafanaFromStack(raw)).map(formatFinding);
      assert.deepEqual(findings, []);
    });
  }

  it("Docker: every data source, dashboard and rule is there to be checked", () => {
    const instance = dockerGrafanaFromStack(MATRIX["both stores, slack, custom metrics, RocksDB and latency"]);
    assert.deepEqual([...instance.provisioning.keys()].sort(), [
      "alerting/flinkmon-alerts.yaml",
      "dashboards/flinkmon.yaml",
      "datasources/flinkmon.yaml",
    ]);
    assert.equal([...instance.files.keys()].filter((p) => p.endsWith(".json")).length, 6);
    assert.ok(instance.environment.has("FLINKMON_SLACK_WEBHOOK_URL"));
    assert.ok(instance.environment.has("FLINKMON_INFLUXDB_READ_PASSWORD"));
  });

  for (const [name, raw] of Object.entries({
    "Prometheus and InfluxDB": { flink: { reporters: ["prometheus", "pushgateway", "influxdb"] } },
    "slack and SMTP": { alerts: { contactPoint: { type: "slack" } }, grafana: SMTP },
  })) {
    it(`Kubernetes: ${name}`, () => {
      const k8s = { ...(raw as object), target: "kubernetes" };
      const config = configFromObject(k8s, "test");
      const secret = synthStack(k8s).json.resource.kubernetes_secret_v1.grafana_env_secret;
      const instance = {
        ...kubernetesGrafana(config, build(config).artifacts),
        environment: new Set(Object.keys(secret.data)),
      };
      assert.deepEqual(checkGrafana(instance).map(formatFinding), []);
    });
  }

  it("gives custom alerts with a long common prefix distinct, stable uids of at most 40 characters", () => {
    const a = alertUid(`customFraud${LONG[0]!.toUpperCase()}${LONG.slice(1)}InEurope`);
    const b = alertUid(`customFraud${LONG[0]!.toUpperCase()}${LONG.slice(1)}InAmerica`);
    assert.notEqual(a, b);
    assert.ok(a.length <= 40 && b.length <= 40, `${a} ${b}`);
    assert.match(a, /^flinkmon-custom-fraud-transacti-[0-9a-f]{8}$/);
    assert.equal(alertUid("jobNotRunning"), "flinkmon-job-not-running");
  });

  it("keeps the webhook and Slack URLs out of every file and in sensitive variables", () => {
    for (const type of ["webhook", "slack"]) {
      const raw = { alerts: { contactPoint: { type } } };
      const stack = synthStack(raw);
      const variable = type === "slack" ? "slack_webhook_url" : "alert_webhook_url";
      assert.equal(stack.json.variable[variable].sensitive, true);
      const env = stack.json.resource.docker_container.grafana.env as string[];
      assert.ok(
        env.includes(`${type === "slack" ? "FLINKMON_SLACK_WEBHOOK_URL" : "FLINKMON_WEBHOOK_URL"}=\${var.${variable}}`),
        env.join(" "),
      );
      const alerting = build(configFromObject(raw)).artifacts.get(
        "grafana/provisioning/alerting/flinkmon-alerts.yaml",
      )!;
      assert.match(alerting, type === "slack" ? /url: \$FLINKMON_SLACK_WEBHOOK_URL/ : /url: \$FLINKMON_WEBHOOK_URL/);
    }
  });

  it("carries SMTP settings into Grafana's environment, the password from a sensitive variable", () => {
    const stack = synthStack({ grafana: SMTP });
    const env = stack.json.resource.docker_container.grafana.env as string[];
    for (const e of [
      "GF_SMTP_ENABLED=true",
      "GF_SMTP_HOST=smtp.example.com:587",
      "GF_SMTP_USER=flinkmon",
      "GF_SMTP_FROM_ADDRESS=flinkmon@example.com",
      "GF_SMTP_PASSWORD__FILE=/run/secrets/flinkmon/grafana_smtp_password",
    ]) {
      assert.ok(env.includes(e), e);
    }
    assert.equal(stack.json.variable.grafana_smtp_password.sensitive, true);
  });

  it("warns at generate time when alerts have nowhere to go", () => {
    const warnings = build(configFromObject({})).warnings;
    assert.ok(
      warnings.some((w) =>
        w.startsWith("alerts.contactPoint is email (flink-oncall@example.com) but grafana.smtp is not set"),
      ),
      warnings.join("\n"),
    );
    assert.deepEqual(
      build(configFromObject({ grafana: SMTP })).warnings.filter((w) => w.includes("smtp")),
      [],
    );
    assert.deepEqual(
      build(configFromObject({ alerts: { contactPoint: { type: "slack" } } })).warnings.filter((w) =>
        w.includes("smtp"),
      ),
      [],
    );
  });
});
