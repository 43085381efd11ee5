/** Dashboard variable filters of the job dashboard: job, then task, then operator. */
import type { VariableFilter } from "./dialects/spec.js";

export const JOB: VariableFilter[] = [{ label: "job_name", variable: "job_name" }];
export const TASK: VariableFilter[] = [...JOB, { label: "task_name", variable: "task_name" }];
export const OPERATOR: VariableFilter[] = [...TASK, { label: "operator_name", variable: "operator_name" }];
