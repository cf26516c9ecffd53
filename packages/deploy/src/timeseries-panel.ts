import {
  LegendDisplayMode,
  LegendPlacement,
  VizLegendOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import { PanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { PROMETHEUS_DATASOURCE } from './datasources.js';
import type { PanelSpec } from './panel-spec.js';

export function timeSeriesPanel(spec: PanelSpec & { min?: number; max?: number }) {
  const panel = new PanelBuilder()
    .title(spec.title)
    .description(spec.description)
    .unit(spec.unit)
    .datasource(PROMETHEUS_DATASOURCE)
    .targets(spec.targets)
    .span(spec.span ?? 12)
    .height(spec.height ?? 8)
    .fillOpacity(10)
    .legend(
      new VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(LegendDisplayMode.List)
        .placement(LegendPlacement.Bottom),
    );
  if (spec.min !== undefined) panel.min(spec.min);
  if (spec.max !== undefined) panel.max(spec.max);
  return panel;
}
