/**
 * Passwords as sensitive Terraform variables: supplied at deploy time (TF_VAR_<name> or `cdktf deploy --var`),
 * referenced as ${var.<name>}, never a literal in cdk.tf.json, generated/ or a log line.
 */
import { Construct } from "constructs";
import { TerraformVariable } from "cdktf";

export const SECRET_VARIABLES = {
  grafanaAdmin: "grafana_admin_password",
  influxdbAdmin: "influxdb_admin_password",
  influxdbFlink: "influxdb_flink_password",
  influxdbGrafana: "influxdb_grafana_password",
} as const;

function secret(scope: Construct, name: string, description: string): TerraformVariable {
  const variable = new TerraformVariable(scope, name, {
    type: "string",
    sensitive: true,
    nullable: false,
    description: `${description} (set TF_VAR_${name}; at least 12 characters)`,
    validation: [
      {
        condition: `\${length(var.${name}) >= 12 && lower(var.${name}) != "admin"}`,
        errorMessage: `${name} must have at least 12 characters and must not be "admin".`,
      },
    ],
  });
  variable.overrideLogicalId(name);
  return variable;
}

export class Secrets extends Construct {
  readonly grafanaAdmin?: TerraformVariable;
  readonly influxdbAdmin?: TerraformVariable;
  readonly influxdbFlink?: TerraformVariable;
  readonly influxdbGrafana?: TerraformVariable;

  constructor(scope: Construct, props: { readonly influxdb: boolean }) {
    super(scope, "secrets");
    this.grafanaAdmin = secret(this, SECRET_VARIABLES.grafanaAdmin, "Grafana admin password");
    if (props.influxdb) {
      this.influxdbAdmin = secret(this, SECRET_VARIABLES.influxdbAdmin, "InfluxDB admin password");
      this.influxdbFlink = secret(this, SECRET_VARIABLES.influxdbFlink, "InfluxDB password of the write-only user Flink's reporter uses");
      this.influxdbGrafana = secret(this, SECRET_VARIABLES.influxdbGrafana, "InfluxDB password of the read-only user Grafana uses");
    }
  }
}
