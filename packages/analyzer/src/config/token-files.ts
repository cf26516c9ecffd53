import { readFileSync } from 'node:fs';
import type { AnalyzerConfig } from './analyzer-config.js';
import { ConfigError } from './config-error.js';

type TokenField = 'token' | 'ingestToken' | 'readToken' | 'adminToken';

/**
 * Where each token can come from as a file instead of as text: a flag's or a variable's value shows in
 * `ps` and in `docker inspect`, a file's contents do not (Docker and Kubernetes secrets are files).
 * `key` is the field in the configuration file.
 */
export const TOKEN_FILE_SETTINGS = {
  token: { env: 'JOBLENS_TOKEN_FILE', flag: 'token-file', key: 'tokenFile' },
  ingestToken: { env: 'JOBLENS_INGEST_TOKEN_FILE', flag: 'ingest-token-file', key: 'ingestTokenFile' },
  readToken: { env: 'JOBLENS_READ_TOKEN_FILE', flag: 'read-token-file', key: 'readTokenFile' },
  adminToken: { env: 'JOBLENS_ADMIN_TOKEN_FILE', flag: 'admin-token-file', key: 'adminTokenFile' },
} as const satisfies Record<TokenField, { env: string; flag: string; key: string }>;

type TokenFileSetting = (typeof TOKEN_FILE_SETTINGS)[TokenField];

/**
 * One layer of settings (the file's, the environment's or the flags') with its token files read into
 * token fields. `read` gives a setting's file path in this layer, `source` names it for errors. A token
 * given both as text and as a file in the same layer is an error: which one wins would be a guess.
 */
export function withTokenFiles(
  layer: Partial<AnalyzerConfig>,
  read: (setting: TokenFileSetting) => string | undefined,
  source: (setting: TokenFileSetting) => string,
): Partial<AnalyzerConfig> {
  const result: Partial<AnalyzerConfig> = { ...layer };
  for (const [field, setting] of Object.entries(TOKEN_FILE_SETTINGS) as [TokenField, TokenFileSetting][]) {
    const path = read(setting);
    if (path === undefined || path === '') continue;
    if (layer[field] !== undefined) {
      throw new ConfigError(`${source(setting)} and ${field} are both given: give the token one way`);
    }
    result[field] = readTokenFile(path, source(setting));
  }
  return result;
}

/** The file's first line, trimmed: `echo secret > file` leaves a newline that is not part of the token. */
function readTokenFile(path: string, source: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new ConfigError(`${source}: cannot read the token file ${path}: ${(cause as Error).message}`, {
      cause,
    });
  }
  const token = text.split(/\r?\n/)[0].trim();
  if (token === '') throw new ConfigError(`${source}: the token file ${path} is empty`);
  return token;
}
