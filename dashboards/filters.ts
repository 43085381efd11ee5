/** Dashboard variable filters: the cluster on every dashboard, then job, task and operator on the job dashboard. */
import type { VariableFilter } from "./dialects/spec.js";
import type { VariableSpec } from "./model.js";
import { storeNames, type MetricDef } from "../flink/catalog.js";
import { CLUSTER_LABEL } from "../contract/services.js";
import { variableMatcher } from "./dialects/promql.js";
import { variableCondition } from "./dialects/influxql.js";

export const CLUSTER: VariableFilter[] = [{ label: CLUSTER_LABEL, variable: CLUSTER_LABEL }];
export const JOB: VariableFilter[] = [...CLUSTER, { label: "job_name", variable: "job_name" }];
export const TASK: VariableFilter[] = [...JOB, { label: "task_name", variable: "task_name" }];
export const OPERATOR: VariableFilter[] = [...TASK, { label: "operator_name", variable: "operator_name" }];

/**
 * The variable every dashboard opens with: one cluster at a time (no All), so no panel adds up two clusters'
 * series. Where series carry no cluster label it has no value, and the empty value selects exactly those series.
 */
export function clusterVariable(metric: MetricDef): VariableSpec {
  const names = storeNames(metric);
  return {
    name: CLUSTER_LABEL,
    label: "Cluster",
    single: true,
    prometheus: `label_values(${names.prometheus}, ${CLUSTER_LABEL})`,
    influxdb: `SHOW TAG VALUES FROM "${names.influxdb}" WITH KEY = "${CLUSTER_LABEL}"`,
  };
}

/** `{cluster=~"$cluster", …}`: the PromQL matchers of dashboard filters (variable queries, hand-written queries). */
export const promFilters = (filters: readonly VariableFilter[]): string =>
  `{${filters.map(variableMatcher).join(", ")}}`;

/** `"cluster" =~ /^$cluster$/ AND "job_name" =~ /^$job_name$/`: the InfluxQL conditions of dashboard filters. */
export const influxConditions = (filters: readonly VariableFilter[]): string =>
  filters.map(variableCondition).join(" AND ");
