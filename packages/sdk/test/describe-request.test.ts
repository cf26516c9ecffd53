import { describe, expect, it } from 'vitest';
import {
  describeNodeRequest,
  describeUndiciRequest,
  pathWithoutQuery,
} from '../src/waiting/describe-request.js';

function nodeRequest(fields: {
  method?: string;
  protocol?: string;
  host?: string;
  path?: string;
  hostHeader?: string;
}) {
  return { ...fields, getHeader: (name: string) => (name === 'host' ? fields.hostHeader : undefined) };
}

describe('describing an outbound call', () => {
  it('writes method, scheme, host:port and path of a node:http request, the port from its Host header', () => {
    const request = nodeRequest({
      method: 'POST',
      protocol: 'http:',
      host: '10.0.0.5',
      path: '/rows?page=2',
      hostHeader: '10.0.0.5:8080',
    });
    expect(describeNodeRequest(request)).toBe('POST http://10.0.0.5:8080/rows');
  });

  it("writes the scheme's default port when the Host header has none, or there is no Host header", () => {
    expect(
      describeNodeRequest(
        nodeRequest({
          protocol: 'https:',
          host: 'api.example.com',
          path: '/v1',
          hostHeader: 'api.example.com',
        }),
      ),
    ).toBe('GET https://api.example.com:443/v1');
    expect(describeNodeRequest(nodeRequest({ protocol: 'http:', host: 'db', path: '/' }))).toBe(
      'GET http://db:80/',
    );
  });

  it('drops credentials from an undici origin and the query and fragment from its path', () => {
    expect(
      describeUndiciRequest({ method: 'GET', origin: 'http://user:pw@127.0.0.1:9000', path: '/x?token=1#f' }),
    ).toBe('GET http://127.0.0.1:9000/x');
    expect(describeUndiciRequest({ method: 'PUT', origin: new URL('https://[::1]'), path: '/' })).toBe(
      'PUT https://[::1]:443/',
    );
  });

  it('gives nothing for a request it cannot read, rather than a guess', () => {
    expect(describeUndiciRequest({ origin: 'not a url' })).toBeUndefined();
    expect(describeNodeRequest(nodeRequest({}))).toBeUndefined();
  });

  it('bounds a long path', () => {
    expect(pathWithoutQuery(`/${'a'.repeat(500)}`).length).toBeLessThanOrEqual(201);
  });
});
