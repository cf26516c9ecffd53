// The job history's SQLite writer thread (see sqlite-history-thread.ts). Plain JavaScript on purpose: worker
// threads do not inherit the TypeScript loader. It loads the store from the module URLs it is given, and when
// those are TypeScript sources (tests, `joblens` run from its sources) it registers tsx first.
import { parentPort, workerData } from 'node:worker_threads';

const { path, storeModuleUrl } = workerData;
if (storeModuleUrl.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
const { openHistoryWriterStore } = await import(storeModuleUrl);
const store = openHistoryWriterStore(path);

parentPort.on('message', async ({ id, op, arg }) => {
  try {
    const result = await store[op](arg);
    parentPort.postMessage({ id, result });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
parentPort.postMessage({ ready: true });
