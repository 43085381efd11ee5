/** The four monitoring services, each a ServiceContainer with its image's specifics (reference §6). */
import { Construct } from "constructs";
import type { Network } from "@cdktf/provider-docker/lib/network/index.js";
import { IMAGES } from "./images.js";
import { ServiceContainer, type UploadedFile, type UploadedSecret } from "./service-container.js";
import { SERVICE } from "../contract/services.js";
import { DOCKER_HOST_GATEWAY } from "../contract/services.js";
import { formatDuration } from "../config/duration.js";

/** What every service construct takes. */
export interface ServiceProps {
  readonly network: Network;
  readonly namePrefix: string;
  readonly bindAddress: string;
  /**
   * Host port.
   * @default the service's standard port (9090, 9091, 8086, 3000)
   */
  readonly hostPort?: number;
  /**
   * Memory limit in MB.
   * @default SERVICE.<service>.memoryMb (contract/services.ts): 1024 for Prometheus and InfluxDB, 128 for the Pushgateway, 512 for Grafana
   */
  readonly memoryMb?: number;
  /**
   * Keep the data volume when Terraform would destroy it.
   * @default true
   */
  readonly protectVolume?: boolean;
  /** Files from build(config) this service reads. */
  readonly uploads: readonly UploadedFile[];
}

export interface PrometheusProps extends ServiceProps {
  /** TSDB retention in seconds (a flag: the 3.x config block does not exist in 2.x). */
  readonly retentionSeconds: number;
}

export class PrometheusService extends ServiceContainer {
  constructor(scope: Construct, props: PrometheusProps) {
    const p = SERVICE.prometheus;
    super(scope, {
      ...props,
      service: "prometheus",
      image: IMAGES.prometheus,
      port: p.port,
      memoryMb: props.memoryMb ?? p.memoryMb,
      dataPath: p.dataDir,
      command: [
        `--config.file=${p.configFile}`,
        `--storage.tsdb.path=${p.dataDir}`,
        `--storage.tsdb.retention.time=${formatDuration(props.retentionSeconds)}`,
      ],
      healthcheck: ["/bin/promtool", "check", "healthy"],
      // Flink on the Docker host itself (flink.sharedHost) is scraped through the host gateway.
      extraHosts: [{ host: DOCKER_HOST_GATEWAY, ip: "host-gateway" }],
    });
  }
}

export class PushgatewayService extends ServiceContainer {
  constructor(scope: Construct, props: ServiceProps) {
    const p = SERVICE.pushgateway;
    super(scope, {
      ...props,
      service: "pushgateway",
      image: IMAGES.pushgateway,
      port: p.port,
      memoryMb: props.memoryMb ?? p.memoryMb,
      dataPath: p.dataDir,
      command: [`--persistence.file=${p.dataDir}/metrics.db`],
      healthcheck: ["wget", "-q", "-O", "/dev/null", `http://127.0.0.1:${p.port}/-/healthy`],
    });
  }
}

export interface InfluxDbProps extends ServiceProps {
  readonly database: string;
  readonly adminUser: string;
  readonly writeUser: string;
  readonly readUser: string;
  /** Terraform references to the sensitive variables with the passwords. */
  readonly adminPassword: string;
  readonly writePassword: string;
  readonly readPassword: string;
}

export class InfluxDbService extends ServiceContainer {
  constructor(scope: Construct, props: InfluxDbProps) {
    const p = SERVICE.influxdb;
    super(scope, {
      ...props,
      service: "influxdb",
      image: IMAGES.influxdb,
      port: p.port,
      memoryMb: props.memoryMb ?? p.memoryMb,
      dataPath: p.dataDir,
      // The image's init script creates these users once, when the data volume is new (reference §6.1).
      env: [
        `INFLUXDB_DB=${props.database}`,
        "INFLUXDB_HTTP_AUTH_ENABLED=true",
        `INFLUXDB_ADMIN_USER=${props.adminUser}`,
        `INFLUXDB_ADMIN_PASSWORD=${props.adminPassword}`,
        `INFLUXDB_WRITE_USER=${props.writeUser}`,
        `INFLUXDB_WRITE_USER_PASSWORD=${props.writePassword}`,
        `INFLUXDB_READ_USER=${props.readUser}`,
        `INFLUXDB_READ_USER_PASSWORD=${props.readPassword}`,
      ],
      healthcheck: ["curl", "-sf", `http://localhost:${p.port}/ping`],
    });
  }
}

export interface GrafanaProps extends ServiceProps {
  /**
   * Environment, "NAME=value": server settings and what the provisioning files read (templates/grafana-env.ts),
   * secret values as Terraform references.
   */
  readonly env: readonly string[];
  /** Secret settings as files (GF_<KEY>__FILE). */
  readonly secretUploads: readonly UploadedSecret[];
}

export class GrafanaService extends ServiceContainer {
  constructor(scope: Construct, props: GrafanaProps) {
    const p = SERVICE.grafana;
    super(scope, {
      ...props,
      service: "grafana",
      image: IMAGES.grafana,
      port: p.port,
      memoryMb: props.memoryMb ?? p.memoryMb,
      dataPath: p.dataDir,
      env: props.env,
      secretUploads: props.secretUploads,
      healthcheck: ["curl", "-fsS", `http://localhost:${p.port}/api/health`],
    });
  }
}
