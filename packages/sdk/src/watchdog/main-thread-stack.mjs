// The blocked main thread's JavaScript stack, taken by the watchdog thread through the inspector protocol.
// Plain JavaScript, as the thread is (see watchdog-thread.mjs).
import { isAbsolute, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Longest frame text sent; a minified bundle's generated function names can run to kilobytes. */
const MAX_FRAME_CHARS = 300;
/** Bound of the scriptId → URL map, filled from `Debugger.scriptParsed` while the session is open. */
const MAX_SCRIPTS = 20_000;

/**
 * Pauses the main thread once, reads its call frames and resumes it. Opens an inspector session to the
 * main thread (`connectToMainThread`, only possible from a worker thread), so it costs nothing until
 * called. `Debugger.pause` takes effect only when the main thread runs JavaScript (or waits in
 * `Atomics.wait`, which V8 interrupts); in a synchronous system call it never does, so the capture gives
 * up after `timeoutMillis` and the session is closed, which also drops the queued pause. Resolves with
 * `{ frames }` (innermost first, 0-based positions as the protocol gives them) or `{ error }`; never
 * rejects, and never leaves the main thread paused.
 *
 * `loopTurned()` is asked once the main thread is paused: true means the block ended before the pause
 * took effect, and the frames are those of whatever ran next, so none are returned.
 */
export async function captureMainThreadStack({ timeoutMillis, loopTurned }) {
  let Session;
  try {
    ({ Session } = await import('node:inspector'));
  } catch {
    return { error: 'this Node.js has no inspector' };
  }
  const session = new Session();
  try {
    session.connectToMainThread();
  } catch (cause) {
    return { error: `connecting to the main thread: ${messageOf(cause)}` };
  }
  let open = true;
  const post = (method, params) => {
    if (!open) return;
    try {
      session.post(method, params);
    } catch {
      // The session closed meanwhile: nothing left to tell the main thread.
    }
  };
  const urls = new Map();
  session.on('Debugger.scriptParsed', ({ params }) => {
    if (urls.size < MAX_SCRIPTS) urls.set(params.scriptId, params.url);
  });
  const outcome = await new Promise((resolve) => {
    const timer = setTimeout(
      () => resolve({ error: `the main thread ran no JavaScript within ${timeoutMillis} ms` }),
      timeoutMillis,
    );
    session.once('Debugger.paused', ({ params }) => {
      clearTimeout(timer);
      // Read before resuming: the main thread cannot turn its loop while paused.
      const turned = loopTurned();
      post('Debugger.resume');
      resolve(
        turned
          ? { error: 'the loop turned before the stack was taken' }
          : { frames: params.callFrames.map((frame) => rawFrame(frame, urls)) },
      );
    });
    // Sent together: the main thread takes both at its next interrupt check, so the pause lands in the
    // code that holds the loop rather than a round trip later.
    post('Debugger.enable');
    post('Debugger.pause');
  });
  post('Debugger.disable');
  open = false;
  try {
    // Closing the session also resumes a main thread paused after the timeout and clears a pause still queued.
    session.disconnect();
  } catch {
    // Already closed.
  }
  return outcome;
}

function rawFrame(frame, urls) {
  return {
    functionName: frame.functionName,
    url: frame.url || urls.get(frame.location.scriptId) || '',
    lineNumber: frame.location.lineNumber,
    columnNumber: frame.location.columnNumber ?? 0,
  };
}

/**
 * The frames as `joblens.event_loop.blocked_stack` gives them: at most `maxFrames`, innermost first, each
 * `function (path:line:column)` with 1-based positions, paths relative to `root`, and a dependency's path
 * from its last `node_modules/` segment on.
 */
export function formatStackFrames(frames, root, maxFrames) {
  return frames.slice(0, maxFrames).map((frame) => {
    const name = frame.functionName || '<anonymous>';
    const where = `${displayPath(frame.url, root)}:${frame.lineNumber + 1}:${frame.columnNumber + 1}`;
    const text = `${name} (${where})`;
    return text.length <= MAX_FRAME_CHARS ? text : `${text.slice(0, MAX_FRAME_CHARS - 1)}…`;
  });
}

function displayPath(url, root) {
  if (url === '') return '<anonymous>';
  let path;
  try {
    path = url.startsWith('file:') ? fileURLToPath(url) : url;
  } catch {
    return url;
  }
  // node:internal/…, evalmachine.<anonymous>, http URLs of a bundler: shown as they are.
  if (!isAbsolute(path)) return path;
  const fromRoot = relative(root, path).split(sep).join('/');
  const modules = fromRoot.lastIndexOf('node_modules/');
  if (modules === 0 || (modules > 0 && fromRoot[modules - 1] === '/')) return fromRoot.slice(modules);
  return fromRoot;
}

function messageOf(cause) {
  return cause instanceof Error ? cause.message : String(cause);
}
