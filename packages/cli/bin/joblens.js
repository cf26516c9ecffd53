#!/usr/bin/env node
// The packages ship TypeScript sources; tsx compiles them on load so no build step stands between a clone and a run.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
