export type { DemoOptions } from './demo-options.js';
export { DEFAULT_DURATION_SECONDS, DEFAULT_OTLP_PORT, DEFAULT_PORT } from './demo-options.js';
export { runDemo } from './run-demo.js';
export type { FaultSpec, HostSpec, Scenario } from './scenario.js';
export { buildScenario } from './scenario.js';
