/**
 * The doctor's report as text for a terminal: problems first, each with its fix; then the cluster in counts when
 * it is large (a line per TaskManager is unreadable at 200), in full when it is small.
 */
import type { Check, DoctorReport } from "./report.js";

/** Up to this many TaskManagers or jobs are listed one per line; more are summarised. */
const LIST_LIMIT = 10;

const seconds = (ms: number | undefined) => (ms === undefined ? "?" : `${(ms / 1000).toFixed(1)} s`);

function checkLines(c: Check): string[] {
  return [
    `  ${c.ok ? "ok  " : "FAIL"} ${c.name}${c.detail ? `: ${c.detail}` : ""}`,
    ...(c.fix ? [`       fix: ${c.fix}`] : []),
  ];
}

function taskManagerLines(report: DoctorReport): string[] {
  const tms = report.taskManagers;
  if (tms.length <= LIST_LIMIT)
    return [
      `TaskManagers (${tms.length}):`,
      ...tms.map(
        (tm) => `  ${tm.id}  slots ${tm.slotsFree}/${tm.slotsTotal} free  heartbeat ${seconds(tm.heartbeatAgeMs)} ago`,
      ),
    ];
  const free = tms.reduce((n, tm) => n + tm.slotsFree, 0);
  const total = tms.reduce((n, tm) => n + tm.slotsTotal, 0);
  const oldest = Math.max(...tms.map((tm) => tm.heartbeatAgeMs ?? 0));
  return [`TaskManagers: ${tms.length}, slots ${free}/${total} free, oldest heartbeat ${seconds(oldest)} ago`];
}

function jobLines(report: DoctorReport): string[] {
  const jobs = report.jobs;
  if (jobs.length <= LIST_LIMIT) return [`Jobs (${jobs.length}):`, ...jobs.map((j) => `  ${j.name}  ${j.state}`)];
  const byState = new Map<string, number>();
  for (const j of jobs) byState.set(j.state, (byState.get(j.state) ?? 0) + 1);
  const states = [...byState].sort(([a], [b]) => a.localeCompare(b)).map(([s, n]) => `${n} ${s}`);
  return [`Jobs: ${jobs.length} (${states.join(", ")})`];
}

export function formatDoctorText(report: DoctorReport): string {
  const problems = report.checks.filter((c) => !c.ok);
  const passed = report.checks.filter((c) => c.ok);
  const lines = [`Flink ${report.flinkVersion ?? "(version unknown)"} at ${report.restUrl}`];
  if (problems.length > 0) lines.push(`Problems (${problems.length}):`, ...problems.flatMap(checkLines));
  lines.push(...taskManagerLines(report), ...jobLines(report));
  if (passed.length > 0) lines.push(`Checks passed (${passed.length}):`, ...passed.flatMap(checkLines));
  for (const e of report.missingEndpoints) lines.push(`  note: ${e} does not exist in this Flink version (skipped)`);
  lines.push(report.healthy ? "healthy" : `${problems.length} problem(s) found`);
  return `${lines.join("\n")}\n`;
}
