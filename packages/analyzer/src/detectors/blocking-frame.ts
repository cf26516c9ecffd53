/** One frame of `joblens.event_loop.blocked_stack`, read: `layoutPage (src/render.js:42:7)`. */
export interface StackFrame {
  functionName: string;
  path: string;
  line: number;
  /** Code of a dependency (`node_modules/…`) or of Node itself (`node:…`), not the app's own. */
  library: boolean;
}

const FRAME = /^(.*) \((.+):(\d+):(\d+)\)$/;

/** The frame as the SDK writes it; undefined for text in another shape (a sender of its own). */
export function parseStackFrame(text: string): StackFrame | undefined {
  const match = FRAME.exec(text);
  if (!match) return undefined;
  const [, functionName, path, line] = match;
  const library = path.startsWith('node_modules/') || path.startsWith('node:');
  return { functionName, path, line: Number(line), library };
}

function describe(frame: StackFrame): string {
  return `${frame.functionName} (${frame.path}:${frame.line})`;
}

/**
 * Where the loop was held, in words: the innermost frame of the app's own code, and the innermost frame
 * when that one is a dependency's or Node's (`JSON.parse`-like work in a library called from the app):
 * `layoutPage (src/render.js:42)` or `measureText (node_modules/pdf/measure.js:210) called from
 * layoutPage (src/render.js:42)`. Undefined for an empty stack.
 */
export function blockingFunctionOf(stack: readonly string[] | undefined): string | undefined {
  if (stack === undefined || stack.length === 0) return undefined;
  const frames = stack.map(parseStackFrame);
  const top = frames[0];
  if (top === undefined) return stack[0];
  const own = frames.find((frame) => frame !== undefined && !frame.library);
  if (own === undefined || own === top) return describe(top);
  return `${describe(top)} called from ${describe(own)}`;
}
