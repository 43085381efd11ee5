/** Response shapes of the REST endpoints flinkmon reads (reference §5); optional where versions differ. */
export interface Overview {
  taskmanagers: number;
  "slots-total": number;
  "slots-available": number;
  "jobs-running": number;
  "jobs-finished"?: number;
  "jobs-cancelled"?: number;
  "jobs-failed"?: number;
  "flink-version"?: string;
  "flink-commit"?: string;
}

export interface DashboardConfig {
  "flink-version"?: string;
  "flink-revision"?: string;
  "refresh-interval"?: number;
}

export interface TaskManagerInfo {
  id: string;
  path?: string;
  dataPort?: number;
  /** Epoch ms of the last heartbeat (despite the name); older versions may give an age. */
  timeSinceLastHeartbeat: number;
  slotsNumber: number;
  freeSlots: number;
}

export interface TaskManagers {
  taskmanagers: TaskManagerInfo[];
}

export interface JobOverview {
  jid: string;
  name: string;
  state: string;
  "start-time"?: number;
  duration?: number;
}

export interface JobsOverview {
  jobs: JobOverview[];
}

export interface ConfigEntry {
  key: string;
  value: string;
}

export interface JobDetails {
  jid: string;
  name: string;
  state: string;
  vertices: { id: string; name: string; parallelism: number }[];
}

export interface SubtaskDetails {
  subtask: number;
  status?: string;
  attempt?: number;
  /** "host:port" of the TaskManager (newer versions also give `endpoint`). */
  host?: string;
  endpoint?: string;
  "taskmanager-id"?: string;
}

/** GET /jobs/:jid/vertices/:vid: the vertex with every subtask's host and TaskManager. */
export interface VertexDetails {
  id: string;
  name: string;
  parallelism: number;
  subtasks: SubtaskDetails[];
}

export interface MetricValue {
  id: string;
  value?: string;
}
