/** flink-jobmanager: the cluster as the JobManager sees it, and the JobManager's JVM. */
import { CATALOG, available } from "../flink/catalog.js";
import type { MonitoringConfig } from "../config/resolve.js";
import { series } from "./query.js";
import { present, type DashboardSpec } from "./model.js";
import { jvmRow } from "./jvm.js";
import { CLUSTER, clusterVariable } from "./filters.js";

export function jobManagerDashboard(config: MonitoringConfig): DashboardSpec {
  const jm = CATALOG.jobmanager;
  const version = config.flink.version;
  const total = (metric: (typeof jm)["runningJobs"], legend: string) =>
    series({ metric, transform: "value", filters: CLUSTER, aggregate: { op: "max", by: [] } }, [legend]);
  const expected = config.alerts.expectedTaskManagers;
  return {
    key: "flink-jobmanager",
    title: "JobManager",
    description: "Cluster capacity (TaskManagers, slots, running jobs) and the JobManager JVM.",
    variables: [clusterVariable(jm.registeredTaskManagers)],
    rows: [
      {
        title: "Cluster",
        panels: present([
          {
            key: "taskmanagers",
            title: "Registered TaskManagers",
            kind: "stat",
            unit: "short",
            width: 6,
            description: `${jm.registeredTaskManagers.description} Red below the ${expected} the alerts expect.`,
            baseColor: "red",
            thresholds: [{ value: expected, color: "green" }],
            targets: [total(jm.registeredTaskManagers, "registered")],
          },
          available(jm.pendingTaskManagers, version) && {
            key: "pending",
            title: "Pending TaskManagers",
            kind: "stat" as const,
            unit: "short",
            width: 6,
            description: `${jm.pendingTaskManagers.description} Pending for long means the resource manager cannot get containers.`,
            thresholds: [{ value: 1, color: "orange" as const }],
            targets: [total(jm.pendingTaskManagers, "pending")],
          },
          {
            key: "running-jobs",
            title: "Running jobs",
            kind: "stat",
            unit: "short",
            width: 6,
            description: jm.runningJobs.description,
            targets: [total(jm.runningJobs, "running")],
          },
          {
            key: "slots",
            title: "Task slots",
            kind: "timeseries",
            unit: "short",
            width: 6,
            min: 0,
            description:
              "Total and available task slots. No available slots means a restarting job cannot be rescheduled.",
            targets: [total(jm.slotsTotal, "total"), total(jm.slotsAvailable, "available")],
          },
        ]),
      },
      jvmRow(config, "jobmanager", CLUSTER),
    ],
  };
}
