/**
 * Names Grafana's side of flinkmon shares across layers: the environment variables the provisioning files read,
 * the sensitive Terraform variables that feed them, and the contact point. Written once, imported by the
 * generators, both stacks and the Grafana conformance check.
 */

/** Environment variables of the Grafana container that provisioning files reference as `$NAME`. */
export const GRAFANA_ENV = {
  /** Password of the InfluxDB read-only user (data source provisioning). */
  influxdbReadPassword: "FLINKMON_INFLUXDB_READ_PASSWORD",
  /** Slack incoming-webhook URL (contact point): it carries a token. */
  slackWebhookUrl: "FLINKMON_SLACK_WEBHOOK_URL",
  /** Webhook contact point URL: such URLs often carry a token too. */
  webhookUrl: "FLINKMON_WEBHOOK_URL",
} as const;

/** Environment variables of the Flink side and of `collect` (not Grafana's). */
export const FLINK_ENV = {
  /** The InfluxDB reporter's password, substituted into Flink's config with envsubst; also what `collect` writes with. */
  influxdbWritePassword: "FLINKMON_INFLUXDB_WRITE_PASSWORD",
  datadogApiKey: "FLINKMON_DATADOG_API_KEY",
} as const;

/** Sensitive Terraform variables (TF_VAR_<name>): passwords and URLs that must never be written to a file. */
export const SECRET_VARIABLES = {
  grafanaAdmin: "grafana_admin_password",
  influxdbAdmin: "influxdb_admin_password",
  influxdbFlink: "influxdb_flink_password",
  influxdbGrafana: "influxdb_grafana_password",
  slackWebhookUrl: "slack_webhook_url",
  webhookUrl: "alert_webhook_url",
  smtpPassword: "grafana_smtp_password",
} as const;

export type SecretVariable = (typeof SECRET_VARIABLES)[keyof typeof SECRET_VARIABLES];

/** The one contact point flinkmon provisions, and its notification policy's receiver. */
export const CONTACT_POINT = "flinkmon";

/** Grafana's data source uid for server-side expressions (reduce, math, threshold). */
export const EXPRESSION_DATASOURCE_UID = "__expr__";
