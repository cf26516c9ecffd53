import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { appRootOf } from '../src/watchdog/app-root.js';
import { formatStackFrames, type RawStackFrame } from '../src/watchdog/main-thread-stack.mjs';

const root = '/srv/invoices';

function frame(functionName: string, url: string, lineNumber = 41, columnNumber = 6): RawStackFrame {
  return { functionName, url, lineNumber, columnNumber };
}

describe('the stack frames the watchdog sends', () => {
  it('gives each frame as function (path:line:column), 1-based, relative to the app root', () => {
    expect(
      formatStackFrames([frame('layoutPage', pathToFileURL('/srv/invoices/src/render.js').href)], root, 20),
    ).toEqual(['layoutPage (src/render.js:42:7)']);
  });

  it('marks a dependency by its path from the last node_modules segment, wherever it is installed', () => {
    const hoisted = '/srv/node_modules/.pnpm/pdf-layout@2.1.0/node_modules/pdf-layout/lib/measure.js';
    expect(
      formatStackFrames(
        [
          frame('measureText', pathToFileURL(hoisted).href),
          frame('parse', pathToFileURL('/srv/invoices/node_modules/marked/lib/marked.cjs').href),
        ],
        root,
        20,
      ),
    ).toEqual([
      'measureText (node_modules/pdf-layout/lib/measure.js:42:7)',
      'parse (node_modules/marked/lib/marked.cjs:42:7)',
    ]);
  });

  it('keeps a file outside the root relative, and a folder merely named like node_modules as it is', () => {
    expect(
      formatStackFrames(
        [
          frame('shared', pathToFileURL('/srv/shared/lib.js').href),
          frame('own', pathToFileURL('/srv/invoices/my_node_modules/x.js').href),
        ],
        root,
        20,
      ),
    ).toEqual(['shared (../shared/lib.js:42:7)', 'own (my_node_modules/x.js:42:7)']);
  });

  it("shows Node's own code, unnamed functions and scripts without a URL as such", () => {
    expect(
      formatStackFrames(
        [
          frame('processTimers', 'node:internal/timers', 518, 6),
          frame('', pathToFileURL('/srv/invoices/worker.mjs').href),
          frame('', ''),
        ],
        root,
        20,
      ),
    ).toEqual([
      'processTimers (node:internal/timers:519:7)',
      '<anonymous> (worker.mjs:42:7)',
      '<anonymous> (<anonymous>:42:7)',
    ]);
  });

  it('keeps the innermost frames up to the limit and cuts a very long frame', () => {
    const frames = Array.from({ length: 30 }, (_, i) =>
      frame(`f${i}`, pathToFileURL('/srv/invoices/a.js').href),
    );
    const formatted = formatStackFrames(frames, root, 20);
    expect(formatted).toHaveLength(20);
    expect(formatted[0]).toBe('f0 (a.js:42:7)');
    const [long] = formatStackFrames([frame('x'.repeat(1000), 'node:fs')], root, 20);
    expect(long).toHaveLength(300);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('the app root stack paths are relative to', () => {
  const dir = mkdtempSync(join(tmpdir(), 'joblens-app-root-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is the nearest folder with a package.json above the entry script', () => {
    mkdirSync(join(dir, 'app', 'dist', 'jobs'), { recursive: true });
    writeFileSync(join(dir, 'app', 'package.json'), '{}');
    expect(appRootOf(join(dir, 'app', 'dist', 'jobs', 'worker.js'), '/')).toBe(join(dir, 'app'));
    expect(appRootOf('dist/jobs/worker.js', join(dir, 'app'))).toBe(join(dir, 'app'));
  });

  it('is the working directory without an entry script', () => {
    expect(appRootOf(undefined, dir)).toBe(dir);
  });
});
