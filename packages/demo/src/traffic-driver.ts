import type { JobProducer } from './job-producer.js';
import { JOB_NAMES, QUEUES } from './scenario.js';

/** Seconds between traffic ticks. */
const TICK_MILLIS = 500;
/** The invoice queue never runs dry, so the busy host always has work waiting beside it. */
const INVOICE_BACKLOG = 12;

/**
 * The fleet's everyday work, deterministic by tick: bursty healthy mail and image traffic with a rare
 * greylisted email that succeeds on retry, a standing invoice backlog, and steady payments, sync and PDF
 * jobs. Faults are added on top by the fault injector.
 */
export class TrafficDriver {
  private tick = 0;
  private timer?: NodeJS.Timeout;
  private emailCount = 0;
  private busy = false;
  /** Jobs that could not be enqueued (a broker hiccup); shown in the progress line. */
  enqueueErrors = 0;

  constructor(
    private readonly producer: JobProducer,
    /** Queues some worker consumes; traffic for others is not made (a scenario cut down to some faults). */
    private readonly consumedQueues: ReadonlySet<string>,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.step(), TICK_MILLIS);
    void this.step();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async step(): Promise<void> {
    // A slow broker must not pile ticks onto each other.
    if (this.busy) return;
    this.busy = true;
    const second = this.tick / 2;
    const everySecond = this.tick % 2 === 0;
    this.tick++;
    try {
      const adds: Promise<void>[] = [];
      if (everySecond) {
        adds.push(this.email(), this.add(QUEUES.thumbnails, JOB_NAMES.resizeImage));
        adds.push(this.add(QUEUES.payments, JOB_NAMES.capturePayment, {}, 5, 2000));
        adds.push(this.add(QUEUES.sync, JOB_NAMES.syncContacts));
        if (second % 2 === 0) adds.push(this.add(QUEUES.pdf, JOB_NAMES.renderPdf, { pages: 4 }));
        // Bursts: a newsletter batch every 10 s, a gallery upload every 7 s.
        if (second % 10 === 3) for (let i = 0; i < 10; i++) adds.push(this.email());
        if (second % 7 === 5)
          for (let i = 0; i < 6; i++) adds.push(this.add(QUEUES.thumbnails, JOB_NAMES.resizeImage));
      }
      if (this.consumedQueues.has(QUEUES.invoices)) {
        const waiting = await this.producer.waitingCount(QUEUES.invoices);
        for (let i = waiting; i < INVOICE_BACKLOG; i++)
          adds.push(this.add(QUEUES.invoices, JOB_NAMES.renderInvoice));
      }
      await Promise.all(adds);
    } catch {
      this.enqueueErrors++;
    } finally {
      this.busy = false;
    }
  }

  private email(): Promise<void> {
    this.emailCount++;
    // One email in forty meets a greylisting mail server and goes through on its second attempt.
    return this.add(QUEUES.emails, JOB_NAMES.sendEmail, { flaky: this.emailCount % 40 === 0 }, 3, 500);
  }

  private async add(
    queue: string,
    name: string,
    data: Record<string, unknown> = {},
    attempts = 3,
    backoffMillis = 1000,
  ): Promise<void> {
    if (!this.consumedQueues.has(queue)) return;
    try {
      await this.producer.add(queue, { name, data, attempts, backoffMillis });
    } catch {
      this.enqueueErrors++;
    }
  }
}
