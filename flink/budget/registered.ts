/**
 * How many metrics Flink registers per component scope, as real clusters showed (docs/verified-metrics.json, the
 * acceptance suite's clusters): the job's own metrics, RocksDB's and latency's left out (they depend on config and
 * are counted from it), a histogram once. test/flink/registered-counts.test.ts keeps this equal to the table.
 */
import { atLeast, type FlinkVersion } from "../../config/version.js";

export type ComponentScope =
  "jobmanager" | "jobmanager.job" | "taskmanager" | "taskmanager.job.task" | "taskmanager.job.task.operator";

export const REGISTERED: Readonly<Record<string, Readonly<Record<ComponentScope, number>>>> = {
  "1.18.1": {
    jobmanager: 28,
    "jobmanager.job": 24,
    taskmanager: 35,
    "taskmanager.job.task": 61,
    "taskmanager.job.task.operator": 13,
  },
  "1.19.3": {
    jobmanager: 33,
    "jobmanager.job": 24,
    taskmanager: 40,
    "taskmanager.job.task": 61,
    "taskmanager.job.task.operator": 17,
  },
  "1.20.5": {
    jobmanager: 33,
    "jobmanager.job": 24,
    taskmanager: 40,
    "taskmanager.job.task": 63,
    "taskmanager.job.task.operator": 17,
  },
  "2.0.2": {
    jobmanager: 33,
    "jobmanager.job": 25,
    taskmanager: 38,
    "taskmanager.job.task": 55,
    "taskmanager.job.task.operator": 17,
  },
  "2.3.0": {
    jobmanager: 35,
    "jobmanager.job": 27,
    taskmanager: 40,
    "taskmanager.job.task": 55,
    "taskmanager.job.task.operator": 24,
  },
};

/** The recorded release nearest below `version` (the oldest for older versions): its counts, and which it is. */
export function registeredFor(version: FlinkVersion): { release: string; counts: Record<ComponentScope, number> } {
  const releases = Object.keys(REGISTERED);
  const release =
    [...releases].reverse().find((r) => {
      const [major, minor] = r.split(".").map(Number) as [number, number];
      return atLeast(version, major, minor);
    }) ?? releases[0]!;
  return { release, counts: { ...REGISTERED[release]! } };
}
