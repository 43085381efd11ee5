/** InfluxDB 1.x chart with auth, persistent storage and the same init script the Docker stack ships. */
import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { stringify } from "yaml";
import { Release } from "@cdktf/provider-helm/lib/release/index.js";
import type { MonitoringConfig } from "../../config/resolve.js";
import { K8S_SERVICE } from "../../contract/services.js";
import { IMAGES } from "../images.js";
import { CHARTS } from "../charts.js";
import { address, SECRET } from "./address.js";
import { YAML_OUTPUT } from "../../contract/yaml-output.js";

export interface InfluxDbProps {
  readonly config: MonitoringConfig;
  /** The init script of build(config) (users, retention policy). */
  readonly initScript: string;
  /**
   * What must exist first (the operator's release, the InfluxDB Secret).
   * @default nothing
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

export class InfluxDbRelease extends Construct {
  constructor(scope: Construct, props: InfluxDbProps) {
    super(scope, "influxdb");
    const config = props.config;
    const k = config.kubernetes;
    const fromSecret = (key: string) => ({ valueFrom: { secretKeyRef: { name: SECRET.influxdb, key } } });
    const values = {
      fullnameOverride: K8S_SERVICE.influxdb,
      image: { repository: "influxdb", tag: `${IMAGES.influxdb.split(":")[1]}-alpine` },
      // 1.11.7+ images run as uid/gid 1500; the chart sets no securityContext.
      securityContext: { fsGroup: 1500 },
      setDefaultUser: { enabled: true, user: { existingSecret: SECRET.influxdb } },
      config: {
        http: { enabled: true, "bind-address": ":8086", "auth-enabled": true, "flux-enabled": false },
        reporting_disabled: true,
      },
      persistence: {
        enabled: true,
        size: k.storage.influxdb,
        ...(k.storageClass ? { storageClass: k.storageClass } : {}),
      },
      env: [
        { name: "INFLUXDB_DB", value: config.influxdb.database },
        { name: "INFLUXDB_WRITE_USER", value: config.influxdb.writeUser },
        { name: "INFLUXDB_WRITE_USER_PASSWORD", ...fromSecret("write-password") },
        { name: "INFLUXDB_READ_USER", value: config.influxdb.readUser },
        { name: "INFLUXDB_READ_USER_PASSWORD", ...fromSecret("read-password") },
      ],
      initScripts: { enabled: true, scripts: { "01-flinkmon.iql": props.initScript } },
    };
    address(
      new Release(this, "release", {
        name: K8S_SERVICE.influxdb,
        chart: CHARTS.influxdb.chart,
        repository: CHARTS.influxdb.repository,
        version: CHARTS.influxdb.version,
        namespace: k.namespace,
        values: [stringify(values, { ...YAML_OUTPUT, sortMapEntries: true })],
        dependsOn: [...(props.dependsOn ?? [])],
      }),
      "influxdb",
    );
  }
}
