/** PodMonitors and the PrometheusRule for a Prometheus Operator that already runs (its CRDs exist at plan time). */
import { Construct } from "constructs";
import { Manifest } from "@cdktf/provider-kubernetes/lib/manifest/index.js";
import { scrapesFlink, type MonitoringConfig } from "../../config/resolve.js";
import {
  flinkPodMonitor,
  pushgatewayPodMonitor,
  prometheusRule,
  type K8sObject,
} from "../../templates/kubernetes/manifests.js";
import { address } from "./address.js";

export interface OperatorResourcesProps {
  readonly config: MonitoringConfig;
}

export class OperatorResources extends Construct {
  constructor(scope: Construct, props: OperatorResourcesProps) {
    super(scope, "operator-resources");
    const config = props.config;
    const objects: [string, K8sObject][] = [];
    if (scrapesFlink(config)) objects.push(["podmonitor_flink", flinkPodMonitor(config)]);
    if (config.stores.pushgateway) objects.push(["podmonitor_pushgateway", pushgatewayPodMonitor(config)]);
    objects.push(["prometheusrule_flinkmon", prometheusRule(config)]);
    for (const [id, manifest] of objects)
      address(new Manifest(this, id, { manifest: manifest as unknown as Record<string, unknown> }), id);
  }
}
