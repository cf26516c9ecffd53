// The job history's SQLite writer thread (see sqlite-history-thread.ts). Plain JavaScript on purpose: worker
// threads do not inherit the TypeScript loader. It loads the store from the module URLs it is given, and when
// those are TypeScript sources (tests, `joblens` run from its sources) it registers tsx first.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';

// The writer is background work: at the nice value it is given it yields its core to ingest (the event
// loop answering senders, its GC threads) when both want it, and writes in the time they leave. It cannot
// fall behind unnoticed: a backlog past the writer's bound makes the analyzer answer 503 until it caught
// up. Linux sets the nice value per thread, named by its id in /proc/thread-self; elsewhere it stays.
if (workerData.niceness > 0) {
  try {
    setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), workerData.niceness);
  } catch {
    // No /proc (macOS, Windows) or no right to change it: the thread runs at the process's priority.
  }
}

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
