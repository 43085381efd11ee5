/**
 * The Docker target: the stores the chosen reporters need, and Grafana, on one private network. Every file a
 * container reads comes from build(config), byte for byte the files in generated/.
 */
import { Construct } from "constructs";
import { TerraformStack, LocalBackend, TerraformOutput } from "cdktf";
import { grafanaAccess } from "./grafana-url.js";
import { DockerProvider } from "@cdktf/provider-docker/lib/provider/index.js";
import { Network } from "@cdktf/provider-docker/lib/network/index.js";
import type { MonitoringConfig } from "../config/resolve.js";
import { ARTIFACT, type Artifacts } from "../artifacts/build.js";
import { SERVICE } from "../contract/services.js";
import { Secrets, SECRET_VARIABLES, type SecretVariable } from "./secrets.js";
import { grafanaDockerEnvironment, grafanaEnvironment, grafanaSecrets } from "../templates/grafana-env.js";
import { PrometheusService, PushgatewayService, InfluxDbService, GrafanaService } from "./services.js";
import type { UploadedFile } from "./service-container.js";

export const DOCKER_STACK_NAME = "flinkmon";

export interface MonitoringStackProps {
  readonly config: MonitoringConfig;
  readonly artifacts: Artifacts;
  /**
   * Build the teardown variant: no resources, so deploying it destroys everything, while `removed` blocks
   * (Terraform/OpenTofu ≥ 1.7) forget the data volumes instead of destroying them unless
   * docker.allowVolumeRemoval is set. `npm run destroy` deploys this variant.
   * @default false
   */
  readonly teardown?: boolean;
}

/** Every artifact under `prefix` in build(config), placed under `containerDir`. */
function uploadsUnder(artifacts: Artifacts, prefix: string, containerDir: string): UploadedFile[] {
  return [...artifacts]
    .filter(([path]) => path.startsWith(`${prefix}/`))
    .map(([path, content]) => ({ file: `${containerDir}/${path.slice(prefix.length + 1)}`, content }));
}

function upload(artifacts: Artifacts, path: string, file: string): UploadedFile {
  const content = artifacts.get(path);
  if (content === undefined) throw new Error(`build(config) has no ${path}; the stack needs it`);
  return { file, content };
}

/** The sensitive variables the Docker stack of `config` declares (each must be set as TF_VAR_<name>). */
export function dockerSecretVariables(config: MonitoringConfig): SecretVariable[] {
  const grafanaEnv = grafanaEnvironment(config);
  const influxSecrets = config.stores.influxdb
    ? [SECRET_VARIABLES.influxdbAdmin, SECRET_VARIABLES.influxdbFlink, SECRET_VARIABLES.influxdbGrafana]
    : [];
  return [...grafanaSecrets([...grafanaEnv.server, ...grafanaEnv.provisioning]), ...influxSecrets];
}

const STATEFUL = ["prometheus", "pushgateway", "influxdb", "grafana"] as const;

export class MonitoringStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id);
    const { config, artifacts } = props;
    // State next to the project, outside cdktf.out (regenerated) and with a relative path (reproducible synth).
    new LocalBackend(this, { path: `../../../terraform.${id}.tfstate` });
    new DockerProvider(this, "docker", { host: config.docker.host });

    if (props.teardown) {
      if (!config.docker.allowVolumeRemoval) {
        const services = STATEFUL.filter((s) => s === "grafana" || config.stores[s]);
        this.addOverride(
          "removed",
          services.map((s) => ({ from: `docker_volume.${s}_data`, lifecycle: { destroy: false } })),
        );
      }
      return;
    }

    const network = new Network(this, "network", {
      name: `${config.docker.namePrefix}`,
      driver: "bridge",
      attachable: false,
    });
    network.overrideLogicalId("network");
    const grafanaEnv = grafanaEnvironment(config);
    const secrets = new Secrets(this, dockerSecretVariables(config));
    const common = {
      network,
      namePrefix: config.docker.namePrefix,
      bindAddress: config.docker.bindAddress,
      protectVolume: !config.docker.allowVolumeRemoval,
    };

    if (config.stores.prometheus) {
      new PrometheusService(this, {
        ...common,
        hostPort: config.prometheus.port,
        memoryMb: config.prometheus.memoryMb,
        retentionSeconds: config.prometheus.retentionSeconds,
        uploads: [
          upload(artifacts, ARTIFACT.prometheusConfig, SERVICE.prometheus.configFile),
          ...uploadsUnder(artifacts, "prometheus/rules", SERVICE.prometheus.rulesDir),
        ],
      });
    }
    if (config.stores.pushgateway) {
      new PushgatewayService(this, {
        ...common,
        hostPort: config.pushgateway.port,
        memoryMb: config.pushgateway.memoryMb,
        uploads: [],
      });
    }
    if (config.stores.influxdb) {
      new InfluxDbService(this, {
        ...common,
        hostPort: config.influxdb.port,
        memoryMb: config.influxdb.memoryMb,
        database: config.influxdb.database,
        adminUser: config.influxdb.adminUser,
        writeUser: config.influxdb.writeUser,
        readUser: config.influxdb.readUser,
        adminPassword: secrets.ref(SECRET_VARIABLES.influxdbAdmin),
        writePassword: secrets.ref(SECRET_VARIABLES.influxdbFlink),
        readPassword: secrets.ref(SECRET_VARIABLES.influxdbGrafana),
        uploads: [
          upload(artifacts, ARTIFACT.influxdbConfig, SERVICE.influxdb.configFile),
          ...uploadsUnder(artifacts, "influxdb/init", SERVICE.influxdb.initDir),
        ],
      });
    }
    const grafanaDocker = grafanaDockerEnvironment([...grafanaEnv.server, ...grafanaEnv.provisioning]);
    new GrafanaService(this, {
      ...common,
      hostPort: config.grafana.port,
      memoryMb: config.grafana.memoryMb,
      env: grafanaDocker.env.map((e) => `${e.name}=${e.secret ? secrets.ref(e.secret) : e.value}`),
      secretUploads: grafanaDocker.files.map((f) => ({ file: f.path, value: secrets.ref(f.secret) })),
      uploads: [
        ...uploadsUnder(artifacts, "grafana/provisioning", SERVICE.grafana.provisioningDir),
        ...uploadsUnder(artifacts, ARTIFACT.grafanaDashboardsDir, SERVICE.grafana.dashboardsDir),
      ],
    });

    const access = grafanaAccess(
      config.docker.host,
      config.docker.bindAddress,
      config.grafana.port ?? SERVICE.grafana.port,
    );
    const grafanaUrl = new TerraformOutput(this, "grafana_url", {
      value: access.url,
      description: `Grafana (log in as the admin user with TF_VAR_grafana_admin_password)${access.note ? `; ${access.note}` : ""}`,
    });
    grafanaUrl.overrideLogicalId("grafana_url");
  }
}
