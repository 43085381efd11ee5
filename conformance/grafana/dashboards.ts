/**
 * Dashboard providers and the dashboards they load (pkg/services/provisioning/dashboards/config_reader.go:
 * validateDashboardAsConfig; file_reader.go; pkg/services/dashboards/service: ValidateDashboardBeforeSave).
 */
import { uidProblem, type KnownDatasource } from "./datasources.js";
import type { Finding, GrafanaInstance } from "./instance.js";
import { isDoc, list, str, type Doc } from "./yaml-doc.js";

/** Dashboard uid → its panel ids, for alert rules that link to a panel. */
export type KnownDashboards = ReadonlyMap<string, ReadonlySet<number>>;

/** Every panel, rows' nested panels included (a collapsed row keeps its panels inside it). */
function panelsOf(dashboard: Doc): Doc[] {
  return list(dashboard.panels).flatMap((p) => [p, ...list(p.panels)]);
}

/** Data source references of a panel and its targets. */
function references(panel: Doc): Doc[] {
  return [panel.datasource, ...list(panel.targets).map((t) => t.datasource)].filter(isDoc);
}

function checkReferences(
  file: string,
  dashboard: Doc,
  datasources: readonly KnownDatasource[],
  findings: Finding[],
): void {
  const variables = new Map(list((dashboard.templating as Doc | undefined)?.list).map((v) => [str(v.name), v]));
  const add = (where: string, message: string) =>
    findings.push({ file, rule: "dashboard-datasource", message: `${where}: ${message}` });
  for (const v of variables.values()) {
    if (str(v.type) !== "datasource") continue;
    const type = str(v.query);
    if (!datasources.some((d) => d.type === type))
      add(`variable "${str(v.name)}"`, `lists data sources of type "${type}", and none is provisioned`);
    const current = str((v.current as Doc | undefined)?.value);
    if (current && !datasources.some((d) => d.uid === current))
      add(`variable "${str(v.name)}"`, `starts on data source "${current}", which does not exist`);
  }
  const resolve = (where: string, ref: Doc) => {
    const uid = str(ref.uid);
    const variable = /^\$\{?([A-Za-z0-9_]+)\}?$/.exec(uid)?.[1];
    if (variable) {
      const v = variables.get(variable);
      if (!v || str(v.type) !== "datasource")
        add(where, `data source "${uid}" names no data source variable of the dashboard`);
      else if (ref.type !== undefined && str(ref.type) !== str(v.query))
        add(where, `data source "${uid}" has type "${str(ref.type)}", the variable lists "${str(v.query)}"`);
    } else if (uid && !datasources.some((d) => d.uid === uid)) add(where, `data source "${uid}" does not exist`);
  };
  for (const v of variables.values()) if (isDoc(v.datasource)) resolve(`variable "${str(v.name)}"`, v.datasource);
  for (const panel of panelsOf(dashboard))
    for (const ref of references(panel)) resolve(`panel ${str(panel.id)} "${str(panel.title)}"`, ref);
}

export function checkDashboards(
  providers: ReadonlyMap<string, Doc>,
  instance: GrafanaInstance,
  datasources: readonly KnownDatasource[],
  findings: Finding[],
): KnownDashboards {
  const known = new Map<string, Set<number>>();
  const titles = new Map<string, string>();
  for (const [file, doc] of providers) {
    for (const [i, provider] of list(doc.providers).entries()) {
      const where = `providers[${i}]`;
      const add = (rule: string, message: string) => findings.push({ file, rule, message: `${where}: ${message}` });
      if (!str(provider.name)) add("provider-name", "has no name (required)");
      const path = str((provider.options as Doc | undefined)?.path);
      if (!path) {
        add("provider-path", "has no options.path (required)");
        continue;
      }
      const dir = path.endsWith("/") ? path : `${path}/`;
      const dashboards = [...instance.files].filter(([p]) => p.startsWith(dir) && p.endsWith(".json"));
      if (dashboards.length === 0) add("provider-path", `reads ${path}, which holds no dashboard file`);
      for (const [dashboardFile, text] of dashboards) {
        const fail = (rule: string, message: string) => findings.push({ file: dashboardFile, rule, message });
        let dashboard: unknown;
        try {
          dashboard = JSON.parse(text);
        } catch (error) {
          fail("dashboard-json", `is not valid JSON: ${(error as Error).message}`);
          continue;
        }
        if (!isDoc(dashboard)) continue;
        const title = str(dashboard.title);
        if (!title) fail("dashboard-title", "has no title (Grafana: dashboard title cannot be empty)");
        const folder = str(provider.folder);
        const other = titles.get(`${folder}/${title}`);
        if (title && other)
          fail("dashboard-title-unique", `title "${title}" is also the title of ${other} in folder "${folder}"`);
        titles.set(`${folder}/${title}`, dashboardFile);
        const uid = str(dashboard.uid);
        const bad = uid ? uidProblem(uid) : undefined;
        if (bad) fail("dashboard-uid", `uid "${uid}" ${bad}`);
        if (uid && known.has(uid)) fail("dashboard-uid-unique", `uid "${uid}" is used by another dashboard`);
        const ids = new Set<number>();
        for (const panel of panelsOf(dashboard)) {
          const id = panel.id;
          if (typeof id !== "number") continue;
          if (ids.has(id))
            fail("panel-id-unique", `panel id ${id} ("${str(panel.title)}") is used by another panel of the dashboard`);
          ids.add(id);
        }
        if (uid) known.set(uid, ids);
        checkReferences(dashboardFile, dashboard, datasources, findings);
      }
    }
  }
  return known;
}
