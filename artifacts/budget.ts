/**
 * The series estimate of the cluster budget.graph describes: what `budget` prints without --rest-url, what `check`
 * holds to budget.maxSeries, and what `diff` compares. Beside build(): it reads what the generated files read.
 */
import type { MonitoringConfig } from "../config/resolve.js";
import { estimateSeries } from "../flink/budget/estimate.js";
import { graphSize, instancesFromGraph } from "../flink/budget/graph.js";
import { registeredFor } from "../flink/budget/registered.js";
import { n, type BudgetReport } from "../flink/budget/report.js";
import { metricsReadByFiles } from "./build.js";

/** Undefined without budget.graph. */
export function graphBudget(config: MonitoringConfig): BudgetReport | undefined {
  const graph = config.budget.graph;
  if (!graph) return undefined;
  const size = graphSize(graph);
  const { release } = registeredFor(config.flink.version);
  const source =
    `budget.graph: ${n(size.taskManagers)} TaskManagers, ${n(size.jobs)} jobs, ${n(size.subtasks)} subtasks, ` +
    `${n(size.operatorSubtasks)} operator subtasks (other metrics as Flink ${release} registers them)`;
  const estimate = estimateSeries(config, metricsReadByFiles(config), instancesFromGraph(config, graph));
  return { source, estimate, maxSeries: config.budget.maxSeries };
}
