/**
 * Grafana's environment, as data: the server settings (GF_*) and the variables the provisioning files read
 * ($FLINKMON_*). Both stacks build the container environment from this list and the Grafana conformance check
 * reads the same list, so a variable a file needs is never missing from the container.
 */
import type { MonitoringConfig } from "../config/resolve.js";
import { GRAFANA_ENV, SECRET_VARIABLES, type SecretVariable } from "../contract/grafana.js";
import { SERVICE } from "../contract/services.js";

/** One variable: a literal value, or the sensitive Terraform variable that supplies it at deploy time. */
export type GrafanaEnvEntry =
  | { readonly name: string; readonly value: string; readonly secret?: undefined }
  | { readonly name: string; readonly secret: SecretVariable; readonly value?: undefined };

export interface GrafanaEnvironment {
  /**
   * Server settings as GF_<SECTION>_<KEY> (Docker; the Kubernetes chart takes them as grafana.ini values and
   * its admin Secret instead).
   */
  readonly server: readonly GrafanaEnvEntry[];
  /** What the provisioning files and alert delivery need, on both targets. */
  readonly provisioning: readonly GrafanaEnvEntry[];
}

const literal = (name: string, value: string): GrafanaEnvEntry => ({ name, value });
const secret = (name: string, variable: SecretVariable): GrafanaEnvEntry => ({ name, secret: variable });

export function grafanaEnvironment(config: MonitoringConfig): GrafanaEnvironment {
  const server = [
    literal("GF_SECURITY_ADMIN_USER", config.grafana.adminUser),
    secret("GF_SECURITY_ADMIN_PASSWORD", SECRET_VARIABLES.grafanaAdmin),
    literal("GF_AUTH_ANONYMOUS_ENABLED", "false"),
    literal("GF_USERS_ALLOW_SIGN_UP", "false"),
    literal("GF_AUTH_DISABLE_LOGIN_FORM", "false"),
    literal("GF_ANALYTICS_REPORTING_ENABLED", "false"),
    literal("GF_ANALYTICS_CHECK_FOR_UPDATES", "false"),
  ];
  const provisioning: GrafanaEnvEntry[] = [];
  if (config.stores.influxdb)
    provisioning.push(secret(GRAFANA_ENV.influxdbReadPassword, SECRET_VARIABLES.influxdbGrafana));
  if (config.alerts.enabled) {
    const type = config.alerts.contactPoint.type;
    if (type === "slack") provisioning.push(secret(GRAFANA_ENV.slackWebhookUrl, SECRET_VARIABLES.slackWebhookUrl));
    if (type === "webhook") provisioning.push(secret(GRAFANA_ENV.webhookUrl, SECRET_VARIABLES.webhookUrl));
  }
  const smtp = config.grafana.smtp;
  if (smtp) {
    provisioning.push(
      literal("GF_SMTP_ENABLED", "true"),
      literal("GF_SMTP_HOST", smtp.host),
      literal("GF_SMTP_FROM_ADDRESS", smtp.fromAddress),
      literal("GF_SMTP_FROM_NAME", smtp.fromName),
    );
    if (smtp.user)
      provisioning.push(literal("GF_SMTP_USER", smtp.user), secret("GF_SMTP_PASSWORD", SECRET_VARIABLES.smtpPassword));
  }
  return { server, provisioning };
}

/** The sensitive variables that feed these entries. */
export function grafanaSecrets(entries: readonly GrafanaEnvEntry[]): SecretVariable[] {
  return entries.flatMap((e) => (e.secret ? [e.secret] : []));
}

/** A secret the Docker stack writes into the Grafana container as a file, from a sensitive variable. */
export interface GrafanaSecretFile {
  readonly path: string;
  readonly secret: SecretVariable;
}

/**
 * The Docker container's form of the environment: GF_* settings that are secrets become GF_<KEY>__FILE naming a
 * file, which the grafana/grafana image's entry script (packaging/docker/run.sh) reads into GF_<KEY> before Grafana
 * starts, so `docker inspect` shows a path, not the password. Variables the provisioning files read stay in the
 * environment: Grafana expands only environment variables there, and the script converts only GF_* names.
 */
export function grafanaDockerEnvironment(entries: readonly GrafanaEnvEntry[]): {
  env: GrafanaEnvEntry[];
  files: GrafanaSecretFile[];
} {
  const env: GrafanaEnvEntry[] = [];
  const files: GrafanaSecretFile[] = [];
  for (const e of entries) {
    if (e.secret && e.name.startsWith("GF_")) {
      const path = `${SERVICE.grafana.secretsDir}/${e.secret}`;
      env.push(literal(`${e.name}__FILE`, path));
      files.push({ path, secret: e.secret });
    } else env.push(e);
  }
  return { env, files };
}
