import type * as common from '@grafana/grafana-foundation-sdk/common';
import { DashboardLinkBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder } from '@grafana/grafana-foundation-sdk/table';
import type { PanelSpec } from './panel-spec.js';

export type TableLink = { title: string; url: string };

/** A table; `link` becomes a data link on every cell (Grafana fills `${__data.fields.<name>}` per row). */
export function tablePanel(spec: PanelSpec & { datasource: common.DataSourceRef; link?: TableLink }) {
  const panel = new PanelBuilder()
    .title(spec.title)
    .description(spec.description)
    .unit(spec.unit)
    .datasource(spec.datasource)
    .targets(spec.targets)
    .span(spec.span ?? 24)
    .height(spec.height ?? 8)
    // Instant Prometheus results carry the evaluation time on every row: noise in a table.
    .withTransformation({ id: 'organize', options: { excludeByName: { Time: true } } });
  if (spec.link) {
    panel.dataLinks([new DashboardLinkBuilder(spec.link.title).url(spec.link.url).targetBlank(true)]);
  }
  return panel;
}
