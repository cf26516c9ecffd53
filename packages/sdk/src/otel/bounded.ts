/** Resolves when `work` settles or after `timeoutMillis`, whichever is first; never rejects. */
export async function settleWithin(
  work: Promise<unknown>,
  timeoutMillis: number,
  onError: (error: Error) => void,
  what: string,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMillis);
    timer.unref();
  });
  try {
    const result = await Promise.race([work.then(() => 'done' as const), timeout]);
    if (result === 'timeout') onError(new Error(`${what} did not finish within ${timeoutMillis} ms`));
  } catch (error) {
    onError(new Error(what, { cause: error }));
  } finally {
    clearTimeout(timer);
  }
}
