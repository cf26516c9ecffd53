/** Types of main-thread-stack.mjs (plain JavaScript, as the watchdog thread that loads it). */
export interface RawStackFrame {
  functionName: string;
  /** The script's URL (`file:///…`, `node:…`), '' when unknown. */
  url: string;
  /** 0-based, as the inspector protocol gives it. */
  lineNumber: number;
  /** 0-based, as the inspector protocol gives it. */
  columnNumber: number;
}

export function captureMainThreadStack(options: {
  timeoutMillis: number;
  loopTurned(): boolean;
}): Promise<{ frames: RawStackFrame[]; error?: undefined } | { frames?: undefined; error: string }>;

export function formatStackFrames(frames: readonly RawStackFrame[], root: string, maxFrames: number): string[];
