import type * as cog from '@grafana/grafana-foundation-sdk/cog';

/** What every panel states: a title, what it means and what to do when it looks wrong, a unit, queries. */
export type PanelSpec = {
  title: string;
  /** What the panel means, and what to do when it looks wrong. */
  description: string;
  /** A Grafana unit id (`s`, `ops`, `percentunit`, `short`...). */
  unit: string;
  targets: cog.Builder<cog.Dataquery>[];
  /** Width in grid columns (of 24). Default 12. */
  span?: number;
  /** Height in grid rows. Default 8. */
  height?: number;
};
