/**
 * How Flink's REST API spells a metric group's name in metric ids: the MetricQueryService replaces " ", ":", "."
 * and "," with "_" (flink-runtime …/metrics/dump/MetricQueryService.java, replaceInvalidChars), so the operator
 * "Source: Kafka" appears as "Source__Kafka" in "0.Source__Kafka.numRecordsOut".
 */
export const metricQueryName = (name: string): string => name.replace(/[ :.,]/g, "_");

/** The operators a vertex chains (its name lists them with " -> "), spelled as metric ids spell them. */
export const vertexOperators = (vertexName: string): string[] => vertexName.split(" -> ").map(metricQueryName);
