/** Small HTTP clients for the real servers in tests: PromQL queries and InfluxDB 1.x queries and writes. */
export interface PromSeries {
  metric: Record<string, string>;
  value?: [number, string];
  values?: [number, string][];
}

export async function promQuery(baseUrl: string, expr: string): Promise<PromSeries[]> {
  const res = await fetch(`${baseUrl}/api/v1/query?${new URLSearchParams({ query: expr })}`);
  const body = (await res.json()) as { status: string; error?: string; data?: { result: PromSeries[] } };
  if (body.status !== "success") throw new Error(`PromQL ${expr}: ${body.error}`);
  return body.data!.result;
}

export function basicAuth(user: string, password: string): Record<string, string> {
  return { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` };
}

export async function influxQuery(
  baseUrl: string,
  q: string,
  auth?: { user: string; password: string },
  db?: string,
): Promise<{ status: number; body: any }> {
  const params = new URLSearchParams({ q });
  if (db) params.set("db", db);
  const res = await fetch(`${baseUrl}/query`, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      ...(auth ? basicAuth(auth.user, auth.password) : {}),
    },
    body: params.toString(),
  });
  return { status: res.status, body: await res.json().catch(() => undefined) };
}

export async function influxWrite(
  baseUrl: string,
  db: string,
  lines: string,
  auth?: { user: string; password: string },
  rp?: string,
): Promise<number> {
  const params = new URLSearchParams({ db, precision: "ms" });
  if (rp) params.set("rp", rp);
  const res = await fetch(`${baseUrl}/write?${params}`, {
    method: "POST",
    body: lines,
    headers: auth ? basicAuth(auth.user, auth.password) : {},
  });
  await res.text();
  return res.status;
}
