import type { JobProducer } from './job-producer.js';
import { JOB_NAMES, QUEUES, type Scenario } from './scenario.js';
import type { UpstreamServer } from './upstream-server.js';
import type { WorkerCommand } from './worker-protocol.js';

export interface FaultInjectorDeps {
  scenario: Scenario;
  producer: JobProducer;
  upstream: UpstreamServer;
  command(instanceId: string, command: WorkerCommand): void;
  /** The worker will die on purpose (the killed-worker fault): its end is not a problem of the demo. */
  expectExit(instanceId: string): void;
}

const OUTAGE_MILLIS = 5000;
const OUTAGE_BATCH = 24;
const REPORT_EVERY_MILLIS = 8000;

/**
 * Does to the fleet what each fault's title says. Kept apart from the scenario so the scenario stays
 * plain data that the summary and the attribution read.
 */
export class FaultInjector {
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(private readonly deps: FaultInjectorDeps) {}

  async inject(faultId: string): Promise<void> {
    const { producer, upstream, scenario } = this.deps;
    switch (faultId) {
      case 'silent-call': {
        const addReport = () =>
          producer.add(QUEUES.reports, {
            name: JOB_NAMES.exportReport,
            data: { month: '2026-10' },
            attempts: 1,
          });
        await addReport();
        this.timers.push(setInterval(() => void addReport().catch(() => {}), REPORT_EVERY_MILLIS));
        return;
      }
      case 'hung-job':
        await producer.add(QUEUES.exports, {
          name: JOB_NAMES.generateExport,
          data: { format: 'csv' },
          attempts: 1,
        });
        return;
      case 'poison-job':
        await producer.add(QUEUES.crm, {
          name: JOB_NAMES.syncCrmContact,
          data: { contactId: 4711 },
          attempts: 1000,
          backoffMillis: 1000,
        });
        return;
      case 'blocked-loop':
        await producer.add(QUEUES.pdf, {
          name: JOB_NAMES.renderPdf,
          data: { huge: true, pages: 4000 },
          attempts: 1,
        });
        return;
      case 'upstream-outage': {
        upstream.failUntil(Date.now() + OUTAGE_MILLIS);
        const batch = Array.from({ length: OUTAGE_BATCH }, (_, index) =>
          producer.add(QUEUES.payments, {
            name: JOB_NAMES.capturePayment,
            data: { orderId: 9000 + index },
            attempts: 5,
            backoffMillis: 2000,
          }),
        );
        await Promise.all(batch);
        return;
      }
      case 'stuck-worker':
        this.deps.command(hostId(scenario, 'sync-1'), 'stop-consuming');
        return;
      case 'missed-checkin': {
        const cronHost = scenario.hosts.find((host) => host.cron);
        if (cronHost) this.deps.command(cronHost.instanceId, 'stop-cron');
        return;
      }
      case 'killed-worker':
        this.deps.expectExit(hostId(scenario, 'import-1'));
        await producer.add(QUEUES.imports, {
          name: JOB_NAMES.importCatalog,
          data: { crash: true },
          attempts: 1,
        });
        return;
      case 'lock-lost':
        await producer.add(QUEUES.renders, {
          name: JOB_NAMES.renderCatalog,
          data: { burn: true },
          attempts: 1,
        });
        return;
      default:
        throw new Error(`no injection for fault '${faultId}'`);
    }
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
  }
}

function hostId(scenario: Scenario, host: string): string {
  const found = scenario.hosts.find((spec) => spec.host === host);
  if (!found) throw new Error(`the scenario has no host '${host}'`);
  return found.instanceId;
}
