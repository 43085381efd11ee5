/**
 * The Grafana conformance check: what Grafana 13 would refuse, or silently get wrong, in the files flinkmon gives
 * it. Grafana cannot run here (AGPL: not built from the Go module proxy; no package ships it), so each rule
 * re-states a fact of Grafana's source, cited where it is checked. The check never pretends Grafana ran.
 */
import { checkAlerting } from "./alerting.js";
import { checkDashboards } from "./dashboards.js";
import { checkDatasources } from "./datasources.js";
import { checkEnvironment } from "./environment.js";
import type { Finding, GrafanaInstance } from "./instance.js";
import { isDoc, parseYaml, type Doc } from "./yaml-doc.js";

export type { Finding, GrafanaInstance } from "./instance.js";
export { formatFinding, fromContainerFiles } from "./instance.js";

/** Provisioning files of one kind (the folder below the provisioning folder), parsed. */
function provisioned(instance: GrafanaInstance, kind: string, findings: Finding[]): Map<string, Doc> {
  const docs = new Map<string, Doc>();
  for (const [path, text] of [...instance.provisioning].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!path.startsWith(`${kind}/`) || !/\.(ya?ml|json)$/.test(path)) continue;
    const parsed = instance.parsed?.get(path);
    if (isDoc(parsed)) {
      docs.set(path, parsed);
      continue;
    }
    const { doc, error } = parseYaml(text);
    if (error) findings.push({ file: path, rule: "yaml", message: error });
    if (doc) docs.set(path, doc);
  }
  return docs;
}

export function checkGrafana(instance: GrafanaInstance): Finding[] {
  const findings: Finding[] = [];
  const datasourceFiles = provisioned(instance, "datasources", findings);
  const providerFiles = provisioned(instance, "dashboards", findings);
  const alertingFiles = provisioned(instance, "alerting", findings);
  const datasources = checkDatasources(datasourceFiles, instance, findings);
  const dashboards = checkDashboards(providerFiles, instance, datasources, findings);
  checkAlerting(alertingFiles, { instance, datasources, dashboards, findings });
  checkEnvironment(new Map([...datasourceFiles, ...providerFiles, ...alertingFiles]), instance, findings);
  return findings;
}
