import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ConfigError } from './config-error.js';

/** Reads a YAML or JSON configuration file (YAML is a superset of JSON, so one parser reads both). */
export function readConfigFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new ConfigError(`cannot read the configuration file ${path}: ${(cause as Error).message}`, {
      cause,
    });
  }
  try {
    return parse(text) ?? {};
  } catch (cause) {
    const reason = (cause as Error).message.split('\n')[0];
    throw new ConfigError(`the configuration file ${path} is not valid YAML or JSON: ${reason}`, { cause });
  }
}
