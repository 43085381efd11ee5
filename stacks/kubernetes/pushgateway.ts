/** The Pushgateway as a Deployment and a Service (the Prometheus Operator scrapes it through a PodMonitor). */
import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1/index.js";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1/index.js";
import type { MonitoringConfig } from "../../config/resolve.js";
import { K8S_SERVICE, SERVICE } from "../../contract/services.js";
import { IMAGES } from "../images.js";
import { address } from "./address.js";

export interface PushgatewayProps {
  readonly config: MonitoringConfig;
  /**
   * What must exist first (the operator's release, when installed).
   * @default nothing
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

export class PushgatewayDeployment extends Construct {
  constructor(scope: Construct, props: PushgatewayProps) {
    super(scope, "pushgateway");
    const config = props.config;
    const ns = config.kubernetes.namespace;
    const labels = { "app.kubernetes.io/name": K8S_SERVICE.pushgateway, "app.kubernetes.io/part-of": "flinkmon" };
    address(
      new DeploymentV1(this, "pushgateway", {
        metadata: { name: K8S_SERVICE.pushgateway, namespace: ns, labels },
        spec: {
          replicas: "1",
          selector: { matchLabels: { "app.kubernetes.io/name": K8S_SERVICE.pushgateway } },
          template: {
            metadata: { labels },
            spec: {
              container: [
                {
                  name: "pushgateway",
                  image: IMAGES.pushgateway,
                  args: [`--persistence.file=${SERVICE.pushgateway.dataDir}/metrics.db`],
                  port: [{ name: "http", containerPort: SERVICE.pushgateway.port }],
                  volumeMount: [{ name: "data", mountPath: SERVICE.pushgateway.dataDir }],
                  livenessProbe: { httpGet: { path: "/-/healthy", port: "http" } },
                  readinessProbe: { httpGet: { path: "/-/ready", port: "http" } },
                  resources: {
                    requests: { memory: "64Mi", cpu: "50m" },
                    limits: { memory: `${config.pushgateway.memoryMb ?? SERVICE.pushgateway.memoryMb}Mi` },
                  },
                },
              ],
              volume: [{ name: "data", emptyDir: {} }],
            },
          },
        },
        dependsOn: [...(props.dependsOn ?? [])],
      }),
      "pushgateway_deployment",
    );
    address(
      new ServiceV1(this, "pushgateway-service", {
        metadata: { name: K8S_SERVICE.pushgateway, namespace: ns, labels },
        spec: {
          selector: { "app.kubernetes.io/name": K8S_SERVICE.pushgateway },
          port: [{ name: "http", port: SERVICE.pushgateway.port, targetPort: "http" }],
        },
        dependsOn: [...(props.dependsOn ?? [])],
      }),
      "pushgateway_service",
    );
  }
}
