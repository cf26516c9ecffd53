import { describe, expect, it } from 'vitest';
import { AnalyzerClient, DEFAULT_ANALYZER_URL } from '../src/analyzer-client.js';

describe('AnalyzerClient', () => {
  it('takes --url over JOBLENS_URL, JOBLENS_URL over the default, and an empty JOBLENS_URL as unset', () => {
    const env = { JOBLENS_URL: 'http://from-env:4320/' };
    expect(new AnalyzerClient({ url: 'http://from-flag:4320', env }).baseUrl).toBe('http://from-flag:4320');
    expect(new AnalyzerClient({ env }).baseUrl).toBe('http://from-env:4320');
    expect(new AnalyzerClient({ env: { JOBLENS_URL: '' } }).baseUrl).toBe(DEFAULT_ANALYZER_URL);
  });

  it('names --url or JOBLENS_URL, whichever gave a URL that is not http(s), with exit code 2', () => {
    expect(() => new AnalyzerClient({ url: 'analyzer:4320', env: {} })).toThrow(
      expect.objectContaining({ message: '--url must be an http(s) URL, got "analyzer:4320"', exitCode: 2 }),
    );
    expect(() => new AnalyzerClient({ env: { JOBLENS_URL: 'not a url' } })).toThrow(
      expect.objectContaining({
        message: 'JOBLENS_URL must be an http(s) URL, got "not a url"',
        exitCode: 2,
      }),
    );
  });
});
