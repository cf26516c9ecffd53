import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import { JAEGER_DATASOURCE } from './datasources.js';

export type JaegerSearch = {
  refId: string;
  /** Jaeger service name; a dashboard variable such as `$service` works when one value is selected. */
  service: string;
  /** Only traces at least this long, in Jaeger's duration syntax (`500ms`, `2s`). */
  minDuration: string;
  /** At most this many traces. */
  limit: number;
};

/**
 * A Jaeger data source search: the foundation SDK has no Jaeger query type, so this builds the target the
 * data source reads (queryType `search`). Its result is a table of traces, each linked to its trace view.
 */
export class JaegerSearchQueryBuilder implements cog.Builder<cog.Dataquery> {
  constructor(private readonly search: JaegerSearch) {}

  build(): cog.Dataquery {
    return {
      refId: this.search.refId,
      datasource: JAEGER_DATASOURCE,
      queryType: 'search',
      service: this.search.service,
      minDuration: this.search.minDuration,
      limit: this.search.limit,
      _implementsDataqueryVariant() {},
    } as cog.Dataquery;
  }
}
