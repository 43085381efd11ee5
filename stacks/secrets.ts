/**
 * Passwords and token-bearing URLs as sensitive Terraform variables: supplied at deploy time (TF_VAR_<name> or
 * `cdktf deploy --var`), referenced as ${var.<name>}, never a literal in cdk.tf.json, generated/ or a log line.
 */
import { Construct } from "constructs";
import { TerraformVariable } from "cdktf";
import { SECRET_VARIABLES, type SecretVariable } from "../contract/grafana.js";

export { SECRET_VARIABLES, type SecretVariable };

/** What each variable is, for its description and validation. */
type SecretKind = "password" | "influxdbPassword" | "url";

/**
 * Characters the influxdb image's init script cannot take: it writes `WITH PASSWORD '<value>'` unescaped, so a
 * quote ends the string and a backslash escapes it; the database is then half set up behind a healthy container.
 */
export const INFLUXDB_PASSWORD_FORBIDDEN = ["'", "\\"] as const;

const SECRET_INFO: Record<SecretVariable, { readonly description: string; readonly kind: SecretKind }> = {
  [SECRET_VARIABLES.grafanaAdmin]: { description: "Grafana admin password", kind: "password" },
  [SECRET_VARIABLES.influxdbAdmin]: { description: "InfluxDB admin password", kind: "influxdbPassword" },
  [SECRET_VARIABLES.influxdbFlink]: {
    description: "InfluxDB password of the write-only user Flink's reporter uses",
    kind: "influxdbPassword",
  },
  [SECRET_VARIABLES.influxdbGrafana]: {
    description: "InfluxDB password of the read-only user Grafana uses",
    kind: "influxdbPassword",
  },
  [SECRET_VARIABLES.slackWebhookUrl]: {
    description: "Slack incoming-webhook URL of the alert contact point",
    kind: "url",
  },
  [SECRET_VARIABLES.webhookUrl]: { description: "URL the alert contact point POSTs to", kind: "url" },
  [SECRET_VARIABLES.smtpPassword]: {
    description: "Password of the SMTP login Grafana sends alert email with",
    kind: "password",
  },
};

function validation(name: string, kind: SecretKind) {
  if (kind === "url") {
    return [
      {
        condition: `\${can(regex("^https?://", var.${name}))}`,
        errorMessage: `${name} must be an http:// or https:// URL.`,
      },
    ];
  }
  const rules = [
    {
      condition: `\${length(var.${name}) >= 12 && lower(var.${name}) != "admin"}`,
      errorMessage: `${name} must have at least 12 characters and must not be "admin".`,
    },
  ];
  if (kind === "influxdbPassword")
    rules.push({
      // RE2 class of a quote and a backslash, written as an HCL string inside a template.
      condition: `\${length(regexall("['\\\\\\\\]", var.${name})) == 0}`,
      errorMessage: `${name} must not contain ' or \\ (the InfluxDB image's init script puts it in single quotes unescaped).`,
    });
  return rules;
}

function variable(scope: Construct, name: SecretVariable): TerraformVariable {
  const info = SECRET_INFO[name];
  const hint = info.kind === "url" ? "an http(s) URL" : "at least 12 characters";
  const created = new TerraformVariable(scope, name, {
    type: "string",
    sensitive: true,
    nullable: false,
    description: `${info.description} (set TF_VAR_${name}; ${hint})`,
    validation: validation(name, info.kind),
  });
  created.overrideLogicalId(name);
  return created;
}

/** The sensitive variables a stack needs, each declared once, in a stable order. */
export class Secrets extends Construct {
  private readonly variables = new Map<SecretVariable, TerraformVariable>();

  constructor(scope: Construct, needed: readonly SecretVariable[]) {
    super(scope, "secrets");
    const order = Object.values(SECRET_VARIABLES) as SecretVariable[];
    for (const name of order.filter((n) => needed.includes(n))) this.variables.set(name, variable(this, name));
  }

  /** The variable's value as a Terraform reference. */
  ref(name: SecretVariable): string {
    const found = this.variables.get(name);
    if (!found) throw new Error(`the stack uses the sensitive variable ${name} but did not declare it`);
    return found.stringValue;
  }
}
