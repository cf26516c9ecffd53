import { stripControlCharacters } from '@joblens/analyzer';
import { CliError } from './cli-error.js';

/** Where the analyzer's API listens unless `--url` or `JOBLENS_URL` says otherwise. */
export const DEFAULT_ANALYZER_URL = 'http://127.0.0.1:4320';

export interface AnalyzerClientOptions {
  /** `--url`; else `JOBLENS_URL`; else {@link DEFAULT_ANALYZER_URL}. */
  url?: string;
  /**
   * `--token`, for every request. Default: the role's own variable, `JOBLENS_READ_TOKEN` for reads and
   * `JOBLENS_ADMIN_TOKEN` for actions, else `JOBLENS_TOKEN`, else none.
   */
  token?: string;
  /** Per-request timeout. Default 10000. */
  timeoutMillis?: number;
  env?: Record<string, string | undefined>;
}

/**
 * A small client for the analyzer's JSON API, for CLI commands. Every failure a person can meet
 * (nothing listening, wrong token, unknown id, a proxy answering HTML) becomes one CliError line.
 * What it returns is printed to a terminal and holds text from workers (job names, error messages), so
 * every string comes back without control characters: a job name must not retitle or clear the screen.
 */
export class AnalyzerClient {
  readonly baseUrl: string;
  private readonly tokens: { read: string | undefined; admin: string | undefined };
  private readonly timeoutMillis: number;

  constructor(options: AnalyzerClientOptions = {}) {
    const env = options.env ?? process.env;
    const url = options.url ?? (env.JOBLENS_URL || DEFAULT_ANALYZER_URL);
    // Name where a bad URL came from: the flag, or the variable set long ago in a shell profile.
    const source = options.url !== undefined ? '--url' : 'JOBLENS_URL';
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {}
    if (parsed?.protocol !== 'http:' && parsed?.protocol !== 'https:') {
      throw new CliError(`${source} must be an http(s) URL, got ${JSON.stringify(url)}`, 2);
    }
    this.baseUrl = parsed.href.replace(/\/+$/, '');
    // Reads and actions are two roles on the analyzer, so each may have its own token.
    this.tokens = {
      read: options.token ?? (env.JOBLENS_READ_TOKEN || env.JOBLENS_TOKEN || undefined),
      admin: options.token ?? (env.JOBLENS_ADMIN_TOKEN || env.JOBLENS_TOKEN || undefined),
    };
    this.timeoutMillis = options.timeoutMillis ?? 10_000;
  }

  /** GETs `path` (with `query`) and returns the parsed JSON body. */
  async getJson<T>(path: string, query: Record<string, string | undefined> = {}): Promise<T> {
    return this.readJson<T>(await this.request(path, query, 'application/json'));
  }

  /** POSTs `body` as JSON to `path` (an action: acknowledge, snooze) and returns the parsed JSON answer. */
  async postJson<T>(path: string, body: unknown): Promise<T> {
    return this.readJson<T>(await this.request(path, {}, 'application/json', body));
  }

  private async readJson<T>(response: Response): Promise<T> {
    const text = await response.text();
    try {
      return JSON.parse(text, (_key, value) =>
        typeof value === 'string' ? stripControlCharacters(value) : value,
      ) as T;
    } catch {
      throw new CliError(`${this.baseUrl} answered something that is not JSON; is it a joblens analyzer?`);
    }
  }

  /** GETs `path` and returns the body as text (Markdown, HTML), without control characters. */
  async getText(
    path: string,
    query: Record<string, string | undefined> = {},
    accept = '*/*',
  ): Promise<string> {
    return stripControlCharacters(await (await this.request(path, query, accept)).text());
  }

  private async request(
    path: string,
    query: Record<string, string | undefined>,
    accept: string,
    body?: unknown,
  ): Promise<Response> {
    const url = new URL(`${this.baseUrl}${path}`);
    for (const [name, value] of Object.entries(query))
      if (value !== undefined) url.searchParams.set(name, value);
    const headers: Record<string, string> = { accept };
    const role = body === undefined ? 'read' : 'admin';
    const token = this.tokens[role];
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(url, {
        method: body === undefined ? 'GET' : 'POST',
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMillis),
      });
    } catch (error) {
      throw new CliError(this.describeFailure(error));
    }
    if (response.ok) return response;
    const reason = await errorText(response);
    if (response.status === 401) {
      throw new CliError(
        `${this.baseUrl} refused the request (401): ${token ? `the token is not valid for the ${role} role` : `it needs the ${role} token (--token, JOBLENS_${role.toUpperCase()}_TOKEN or JOBLENS_TOKEN)`}`,
      );
    }
    if (response.status === 404)
      throw new CliError(reason ?? `${url.pathname} was not found on ${this.baseUrl}`);
    // A refused action says why in full (acknowledged already, and by whom); the URL adds nothing.
    if (response.status === 409 && reason) throw new CliError(reason);
    // A 400 refused a value the user typed (a filter, a limit, a time): bad usage, as when the CLI refuses
    // one itself.
    throw new CliError(
      `${this.baseUrl} answered ${response.status}${reason ? `: ${reason}` : ''}`,
      response.status === 400 ? 2 : 1,
    );
  }

  private describeFailure(error: unknown): string {
    const cause = (error as { cause?: { code?: string } })?.cause;
    const code = cause?.code ?? (error as { name?: string })?.name;
    if (code === 'ECONNREFUSED') {
      return `no analyzer at ${this.baseUrl} (connection refused); start one with 'joblens serve' or pass --url`;
    }
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `cannot resolve the host of ${this.baseUrl}`;
    if (code === 'TimeoutError') return `${this.baseUrl} did not answer within ${this.timeoutMillis} ms`;
    const reason = (cause as Error | undefined)?.message ?? (error as Error)?.message ?? String(error);
    return `cannot reach ${this.baseUrl}: ${reason}`;
  }
}

async function errorText(response: Response): Promise<string | undefined> {
  try {
    const body = (await response.json()) as { error?: unknown };
    return typeof body.error === 'string'
      ? stripControlCharacters(body.error, { singleLine: true })
      : undefined;
  } catch {
    return undefined;
  }
}
