/** What the Kubernetes constructs share: fixed Terraform addresses and the Secret names. */

/** Secrets flinkmon creates in the namespace; the charts read them by these names. */
export const SECRET = {
  grafanaAdmin: "flinkmon-grafana-admin",
  grafanaEnv: "flinkmon-grafana-env",
  influxdb: "flinkmon-influxdb-auth",
} as const;

/** Fixes a construct's Terraform address: renaming it would destroy the resource. */
export function address<T extends { overrideLogicalId(id: string): void }>(resource: T, id: string): T {
  resource.overrideLogicalId(id);
  return resource;
}
