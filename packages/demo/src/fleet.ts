import { type ChildProcess, fork } from 'node:child_process';
import type { HostSpec } from './scenario.js';
import { workerEntryCommand } from './worker-entry-command.js';
import {
  type ParentMessage,
  WORKER_CONFIG_ENV,
  type WorkerConfig,
  type WorkerMessage,
} from './worker-protocol.js';

export interface FleetOptions {
  hosts: HostSpec[];
  /** Everything in a worker's config but its host, id, consumers and cron. */
  base: Omit<WorkerConfig, 'host' | 'instanceId' | 'consumers' | 'cron' | 'prometheusPort'>;
  /** Each worker's Prometheus endpoint port, by instance id; a worker missing here exposes none. */
  prometheusPorts?: ReadonlyMap<string, number>;
  onMessage(instanceId: string, message: WorkerMessage): void;
  /** A worker ended without being asked to: its exit code or signal, and the end of its stderr. */
  onUnexpectedExit(host: string, reason: string, stderrTail: string): void;
}

interface Member {
  spec: HostSpec;
  child: ChildProcess;
  loaded: boolean;
  ready: boolean;
  processed: number;
  stderrTail: string;
  exited: Promise<void>;
}

const STDERR_TAIL_CHARS = 4000;
const WORKER_ENTRY = workerEntryCommand();

/**
 * The simulated hosts: one child process each (`node worker-entry.js`), posing as its own
 * machine through `host.name` and `service.instance.id`.
 */
export class Fleet {
  private readonly members = new Map<string, Member>();
  /** Workers a fault kills on purpose: their end is reported to no one. */
  private readonly expectedExits = new Set<string>();
  private stopping = false;

  constructor(private readonly options: FleetOptions) {}

  /**
   * Starts the workers in two phases. Loading (the heavy part: Node, the SDK and BullMQ) runs at
   * most `loadConcurrency` at a time, since eight processes loading at once on two busy cores starve
   * each other for seconds. Then every worker starts its SDK and consumers together, after
   * `beforeStart` runs. Resolves when all are ready; rejects naming the laggards after `timeoutMillis`,
   * or the first worker that died while starting.
   */
  async start(timeoutMillis: number, beforeStart: () => void, loadConcurrency = 3): Promise<void> {
    const deadline = Date.now() + timeoutMillis;
    const pending = [...this.options.hosts];
    const loading = new Set<Member>();
    while (pending.length > 0 || loading.size > 0) {
      while (pending.length > 0 && loading.size < loadConcurrency) loading.add(this.spawn(pending.shift()!));
      for (const member of loading) if (member.loaded) loading.delete(member);
      if (this.stopping) return;
      this.checkStarting(
        deadline,
        timeoutMillis,
        [...loading.values()].map((member) => member.spec.host).concat(pending.map((spec) => spec.host)),
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    beforeStart();
    for (const member of this.members.values()) this.send(member.spec.instanceId, { type: 'start' });
    for (;;) {
      const late = [...this.members.values()].filter((member) => !member.ready);
      if (late.length === 0 || this.stopping) return;
      this.checkStarting(
        deadline,
        timeoutMillis,
        late.map((member) => member.spec.host),
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private checkStarting(deadline: number, timeoutMillis: number, waitingFor: string[]): void {
    for (const member of this.members.values()) {
      if (member.child.exitCode !== null || member.child.signalCode !== null) {
        throw new Error(`worker ${member.spec.host} exited while starting:\n${member.stderrTail.trim()}`);
      }
    }
    if (Date.now() > deadline) {
      throw new Error(`workers not ready after ${timeoutMillis / 1000} s: ${waitingFor.join(', ')}`);
    }
  }

  private spawn(spec: HostSpec): Member {
    const config: WorkerConfig = {
      ...this.options.base,
      host: spec.host,
      instanceId: spec.instanceId,
      consumers: spec.consumers,
      cron: spec.cron,
      prometheusPort: this.options.prometheusPorts?.get(spec.instanceId),
    };
    const child = fork(WORKER_ENTRY.script, [], {
      execArgv: WORKER_ENTRY.execArgv,
      env: { ...process.env, [WORKER_CONFIG_ENV]: JSON.stringify(config) },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    const member: Member = {
      spec,
      child,
      loaded: false,
      ready: false,
      processed: 0,
      stderrTail: '',
      exited: new Promise((resolve) => child.once('exit', () => resolve())),
    };
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      member.stderrTail = (member.stderrTail + text).slice(-STDERR_TAIL_CHARS);
    });
    child.on('message', (message: WorkerMessage) => this.receive(member, message));
    child.once('exit', (code, signal) => {
      if (!this.stopping && !this.expectedExits.has(spec.instanceId)) {
        this.options.onUnexpectedExit(
          spec.host,
          signal ? `signal ${signal}` : `exit code ${code}`,
          member.stderrTail,
        );
      }
    });
    // A send to a worker that just died is not worth crashing the demo over.
    child.on('error', () => {});
    this.members.set(spec.instanceId, member);
    return member;
  }

  /** The worker is about to die on purpose (a fault kills it): do not report its end. */
  expectExit(instanceId: string): void {
    this.expectedExits.add(instanceId);
  }

  send(instanceId: string, message: ParentMessage): void {
    const member = this.members.get(instanceId);
    if (member?.child.connected) member.child.send(message, () => {});
  }

  /** Attempts the workers ran so far, all hosts together. */
  processedTotal(): number {
    let total = 0;
    for (const member of this.members.values()) total += member.processed;
    return total;
  }

  /** Asks every worker to flush and exit, then kills whatever is left after `graceMillis`. */
  async stop(graceMillis = 3000): Promise<void> {
    this.stopping = true;
    for (const member of this.members.values()) this.send(member.spec.instanceId, { type: 'shutdown' });
    const all = Promise.all([...this.members.values()].map((member) => member.exited));
    const timer = new Promise((resolve) => setTimeout(resolve, graceMillis).unref());
    await Promise.race([all, timer]);
    for (const member of this.members.values()) {
      if (member.child.exitCode === null && member.child.signalCode === null) member.child.kill('SIGKILL');
    }
    await Promise.race([all, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
  }

  private receive(member: Member, message: WorkerMessage): void {
    if (message.type === 'loaded') member.loaded = true;
    else if (message.type === 'ready') member.ready = true;
    else if (message.type === 'processed') member.processed = message.count;
    this.options.onMessage(member.spec.instanceId, message);
  }
}
