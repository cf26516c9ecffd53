import { request } from 'node:http';

export interface SentRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * One request through node:http, which (unlike fetch) sends the Host, Origin and Cookie headers exactly as
 * given: the requests a browser on another site or a rebound DNS name would send.
 */
export function sendRequest(
  url: string,
  { method = 'GET', headers = {}, body }: SentRequest = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The body and Content-Type an HTML `<form method="post">` sends. */
export function formPost(fields: Record<string, string>, headers: Record<string, string> = {}): SentRequest {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  };
}

/** A JSON request, as the CLI and the page send state changes. */
export function jsonRequest(
  method: string,
  value: unknown,
  headers: Record<string, string> = {},
): SentRequest {
  return { method, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) };
}

export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
