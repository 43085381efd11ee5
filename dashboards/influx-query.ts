/** InfluxQL targets for the foundation SDK, which has no InfluxDB module (reference grafana.md §1.4). */
import type * as cog from "@grafana/grafana-foundation-sdk/cog";

export interface InfluxQuery extends cog.Dataquery {
  refId?: string;
  hide?: boolean;
  query: string;
  rawQuery: true;
  resultFormat: "time_series" | "table";
  alias?: string;
  datasource?: { type: string; uid: string };
}

export class InfluxQueryBuilder implements cog.Builder<cog.Dataquery> {
  private readonly q: InfluxQuery;

  constructor(query: string) {
    this.q = { query, rawQuery: true, resultFormat: "time_series", _implementsDataqueryVariant() {} };
  }

  alias(alias: string): this {
    this.q.alias = alias;
    return this;
  }

  build(): InfluxQuery {
    return this.q;
  }
}
