/**
 * Alerting file provisioning: rule groups, contact points and the notification policy
 * (pkg/services/provisioning/alerting/rules_types.go, contact_point_types.go, notification_policy_types.go).
 * A provisioning error is fatal: Grafana logs "Failed to provision alerting" and exits at start-up.
 */
import { influxqlProblems, promqlProblems, type MetricLabels } from "./alert-labels.js";
import type { KnownDashboards } from "./dashboards.js";
import { uidProblem, type KnownDatasource } from "./datasources.js";
import {
  CONTACT_POINT_TYPES,
  DEFAULT_RECEIVER,
  EXEC_ERR_STATES,
  EXPRESSION_UID,
  NO_DATA_STATES,
  RULE_TITLE_MAX_LENGTH,
  contactPointSettingsError,
  durationError,
  expand,
} from "./facts.js";
import type { Finding, GrafanaInstance } from "./instance.js";
import { isDoc, list, str, type Doc } from "./yaml-doc.js";

interface Context {
  readonly instance: GrafanaInstance;
  readonly datasources: readonly KnownDatasource[];
  readonly dashboards: KnownDashboards;
  readonly findings: Finding[];
}

/** `__dashboardUid__`/`__panelId__`, or the file format's dashboardUid/panelId: together, and pointing at a panel. */
function checkPanelLink(rule: Doc, say: (rule: string, message: string) => void, ctx: Context): void {
  const annotations = isDoc(rule.annotations) ? rule.annotations : {};
  const pairs: [string, string, string, string][] = [
    ["__dashboardUid__", "__panelId__", str(annotations.__dashboardUid__), str(annotations.__panelId__)],
    ["dashboardUid", "panelId", str(rule.dashboardUid ?? rule.dasboardUid), str(rule.panelId)],
  ];
  for (const [dashKey, panelKey, dash, panel] of pairs) {
    if (!dash && !panel) continue;
    // pkg/services/ngalert/models/alert_rule.go: SetDashboardAndPanelFromAnnotations
    if (!dash || !panel) {
      say(
        "panel-link-pair",
        `${dash ? dashKey : panelKey} without ${dash ? panelKey : dashKey}: Grafana refuses it ("both annotations __dashboardUid__ and __panelId__ must be specified")`,
      );
      continue;
    }
    if (!/^-?\d+$/.test(panel)) {
      say(
        "panel-link-pair",
        `${panelKey} "${panel}" is not an integer ("annotation __panelId__ must be a valid integer Panel ID")`,
      );
      continue;
    }
    const panels = ctx.dashboards.get(dash);
    if (!panels) say("panel-link-target", `links to dashboard "${dash}", which is not provisioned`);
    else if (!panels.has(Number(panel)))
      say("panel-link-target", `links to panel ${panel} of dashboard "${dash}", which has no such panel`);
  }
}

/** The store each data query reads, from its data source uid. */
function checkQueries(rule: Doc, say: (rule: string, message: string) => void, ctx: Context): string[] {
  const refIds: string[] = [];
  const labels: MetricLabels | undefined = ctx.instance.metricLabels;
  for (const q of list(rule.data)) {
    const refId = str(q.refId);
    refIds.push(refId);
    const uid = str(q.datasourceUid);
    if (uid === EXPRESSION_UID) continue;
    const ds = ctx.datasources.find((d) => d.uid === uid);
    if (!ds) {
      say("rule-datasource", `query ${refId} reads data source "${uid}", which does not exist`);
      continue;
    }
    const model = isDoc(q.model) ? q.model : {};
    if (!labels) continue;
    const problems =
      ds.type === "prometheus"
        ? promqlProblems(str(model.expr), labels)
        : ds.type === "influxdb"
          ? influxqlProblems(str(model.query), labels)
          : [];
    for (const p of problems)
      say(
        "rule-query-labels",
        `query ${refId}: ${p}; Grafana's evaluator rejects a result whose series share a label set ("frame cannot uniquely be identified by its labels")`,
      );
  }
  return refIds;
}

function checkRules(
  file: string,
  doc: Doc,
  ctx: Context,
  uids: Map<string, string>,
  titles: Map<string, string>,
): void {
  for (const [g, group] of list(doc.groups).entries()) {
    const groupName = str(group.name);
    const where = `groups[${g}]${groupName ? ` "${groupName}"` : ""}`;
    const sayGroup = (rule: string, message: string) =>
      ctx.findings.push({ file, rule, message: `${where}: ${message}` });
    if (!groupName.trim()) sayGroup("group-name", "rule group has no name set");
    const folder = str(group.folder);
    if (!folder.trim()) sayGroup("group-folder", "rule group has no folder set");
    const interval = durationError(str(group.interval));
    if (interval) sayGroup("duration", `interval: ${interval}`);
    for (const [r, rule] of list(group.rules).entries()) {
      const title = str(rule.title);
      const uid = str(rule.uid);
      const at = `${where} rule ${uid ? `"${uid}"` : `[${r}]`}`;
      const say = (id: string, message: string) => ctx.findings.push({ file, rule: id, message: `${at}: ${message}` });
      if (!title) say("rule-title", "rule has no title set");
      if (title.length > RULE_TITLE_MAX_LENGTH)
        say("rule-title", `title is ${title.length} characters long; Grafana allows at most ${RULE_TITLE_MAX_LENGTH}`);
      const other = titles.get(`${folder}/${title}`);
      if (title && other !== undefined)
        say("rule-title-unique", `title "${title}" is also the title of rule "${other}" in folder "${folder}"`);
      titles.set(`${folder}/${title}`, uid);
      if (!uid) say("rule-uid", "no UID set");
      const bad = uid ? uidProblem(uid) : undefined;
      if (bad) say("rule-uid", `uid ${bad}`);
      if (uid && uids.has(uid)) say("rule-uid-unique", `uid is also the uid of rule "${uids.get(uid)}"`);
      uids.set(uid, title);
      for (const key of ["for", "keepFiringFor"] as const) {
        const text = str(rule[key]);
        const problem = text ? durationError(text) : undefined;
        if (problem) say("duration", `failed to parse '${key}' field: ${problem}`);
      }
      const noData = str(rule.noDataState).trim();
      if (noData && !(NO_DATA_STATES as readonly string[]).includes(noData))
        say("rule-state", `unknown NoData state option ${noData} (allowed: ${NO_DATA_STATES.join(", ")})`);
      const execErr = str(rule.execErrState).trim();
      if (execErr && !(EXEC_ERR_STATES as readonly string[]).includes(execErr))
        say("rule-state", `unknown Error state option ${execErr} (allowed: ${EXEC_ERR_STATES.join(", ")})`);
      if (list(rule.data).length === 0) {
        say("rule-data", "failed to parse: no data set");
        continue;
      }
      const refIds = checkQueries(rule, say, ctx);
      const condition = str(rule.condition);
      // ErrConditionNotExistBase (pkg/services/ngalert/models): "Condition X does not exist, must be one of [..]"
      if (!condition && !isDoc(rule.record)) say("rule-condition", "failed to parse: no condition set");
      else if (condition && !refIds.includes(condition))
        say("rule-condition", `Condition ${condition} does not exist, must be one of [${refIds.join(" ")}]`);
      checkPanelLink(rule, say, ctx);
    }
  }
}

function checkContactPoints(file: string, doc: Doc, ctx: Context, names: Set<string>, receiverUids: Set<string>): void {
  for (const [c, cp] of list(doc.contactPoints).entries()) {
    const name = str(cp.name);
    const where = `contactPoints[${c}]${name ? ` "${name}"` : ""}`;
    const say = (rule: string, message: string) => ctx.findings.push({ file, rule, message: `${where}: ${message}` });
    if (!name) say("contact-point-name", "has no name");
    names.add(name);
    for (const [i, receiver] of list(cp.receivers).entries()) {
      const uid = str(receiver.uid).trim();
      const type = str(receiver.type);
      const at = `receiver ${uid ? `"${uid}"` : `[${i}]`}`;
      if (!uid) say("receiver-uid", `${at}: no uid set`);
      const bad = uid ? uidProblem(uid) : undefined;
      if (bad) say("receiver-uid", `${at}: uid ${bad}`);
      if (uid && receiverUids.has(uid)) say("receiver-uid-unique", `${at}: uid is used by another receiver`);
      receiverUids.add(uid);
      if (!(CONTACT_POINT_TYPES as readonly string[]).includes(type)) {
        say("receiver-type", `${at}: type "${type}" is not one flinkmon checks (${CONTACT_POINT_TYPES.join(", ")})`);
        continue;
      }
      // Settings are expanded from the environment before validation: an unset variable is "".
      const raw = isDoc(receiver.settings) ? receiver.settings : {};
      const settings = Object.fromEntries(
        Object.entries(raw).map(([k, v]) => [k, typeof v === "string" ? expand(v, ctx.instance.environment) : v]),
      );
      const problem = contactPointSettingsError(type, settings);
      if (problem)
        say("receiver-settings", `${at}: failed to validate integration "${name}" of type "${type}": ${problem}`);
    }
  }
}

function checkPolicies(file: string, doc: Doc, ctx: Context, receivers: ReadonlySet<string>): void {
  const walk = (route: Doc, where: string) => {
    const say = (rule: string, message: string) => ctx.findings.push({ file, rule, message: `${where}: ${message}` });
    const receiver = str(route.receiver);
    if (receiver && !receivers.has(receiver))
      say(
        "policy-receiver",
        `receiver "${receiver}" is not a contact point (known: ${[...receivers].sort().join(", ")})`,
      );
    for (const key of ["group_wait", "group_interval", "repeat_interval"]) {
      const text = str(route[key]);
      const problem = text ? durationError(text) : undefined;
      if (problem) say("duration", `${key}: ${problem}`);
    }
    for (const [i, child] of list(route.routes).entries()) walk(child, `${where}.routes[${i}]`);
  };
  for (const [p, policy] of list(doc.policies).entries()) {
    if (!str(policy.receiver))
      ctx.findings.push({ file, rule: "policy-receiver", message: `policies[${p}]: the root policy has no receiver` });
    walk(policy, `policies[${p}]`);
  }
}

export function checkAlerting(files: ReadonlyMap<string, Doc>, ctx: Context): void {
  const uids = new Map<string, string>();
  const titles = new Map<string, string>();
  const names = new Set<string>([DEFAULT_RECEIVER]);
  const receiverUids = new Set<string>();
  for (const [file, doc] of files) {
    checkRules(file, doc, ctx, uids, titles);
    checkContactPoints(file, doc, ctx, names, receiverUids);
  }
  // Policies may name contact points of any file.
  for (const [file, doc] of files) checkPolicies(file, doc, ctx, names);
}
