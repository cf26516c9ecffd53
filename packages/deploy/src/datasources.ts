import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/common';

/** The provisioned data sources (grafana/provisioning/datasources/joblens.yaml): dashboards refer to these uids. */
export const PROMETHEUS_DATASOURCE: DataSourceRef = { type: 'prometheus', uid: 'prometheus' };
export const JAEGER_DATASOURCE: DataSourceRef = { type: 'jaeger', uid: 'jaeger' };
