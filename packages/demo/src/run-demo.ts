import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { choosePort } from './choose-port.js';
import { chooseTransport } from './choose-transport.js';
import { CleanupStack } from './cleanup-stack.js';
import { type DemoOptions, type ResolvedDemoOptions, resolveDemoOptions } from './demo-options.js';
import { FaultInjector } from './fault-injector.js';
import { FaultLedger } from './fault-ledger.js';
import { Fleet } from './fleet.js';
import { formatFinding } from './format-finding.js';
import { formatSeverityChange } from './format-severity-change.js';
import { formatSummary } from './format-summary.js';
import { type InterruptSignal, listenForInterrupt } from './interrupt-signal.js';
import { pickFreePorts } from './pick-free-ports.js';
import { redisUrlFromEnv } from './probe-redis.js';
import { writePrometheusConfig } from './prometheus-scrape-config.js';
import {
  buildScenario,
  type Scenario,
  scenarioQueues,
  selectFaults,
  withoutBullmqFaults,
} from './scenario.js';
import { DEMO_SDK_SETTINGS, startDemoAnalyzer } from './start-demo-analyzer.js';
import { TerminalOutput } from './terminal-output.js';
import { TrafficDriver } from './traffic-driver.js';
import { startUpstreamServer } from './upstream-server.js';
import { watchFindings } from './watch-findings.js';

/** Seconds the fleet gets to start: eight Node processes loading the SDK on a busy two-core machine. */
const FLEET_READY_TIMEOUT_SECONDS = 90;

/**
 * `joblens demo`: the analyzer on an embedded SQLite file, a fleet of worker processes with injected
 * faults beside healthy traffic, each finding printed as it appears and a summary of faults against
 * findings. Resolves with the exit status: 0 only when every fault was found and nothing else was.
 */
export async function runDemo(input: DemoOptions = {}): Promise<number> {
  const options = resolveDemoOptions(input);
  const out = new TerminalOutput(options.stdout, options.isTty);
  const interrupt = listenForInterrupt(options.signal);
  const cleanup = new CleanupStack();
  try {
    return await runScenario(options, out, interrupt, cleanup);
  } finally {
    out.endProgress();
    await cleanup.run();
    for (const failure of cleanup.failures) out.line(`cleanup: ${failure}`);
    interrupt.dispose();
  }
}

async function runScenario(
  options: ResolvedDemoOptions,
  out: TerminalOutput,
  interrupt: InterruptSignal,
  cleanup: CleanupStack,
): Promise<number> {
  const startedAtMs = Date.now();
  const runId = randomBytes(3).toString('hex');
  const full = buildScenario(runId);
  let scenario = options.faults ? selectFaults(full, options.faults) : full;
  const problems: string[] = [];
  let fleet: Fleet | undefined;

  out.line(
    `joblens demo (run ${runId}): a simulated worker fleet with injected faults, watched by the analyzer`,
  );
  const transport = await chooseTransport(options.redis, redisUrlFromEnv(options.env), runId, (id, message) =>
    fleet?.send(id, message),
  );
  out.line(transport.description);
  if (transport.config.kind === 'local') {
    const before = scenario.faults.length;
    scenario = withoutBullmqFaults(scenario, options.faults);
    if (scenario.faults.length < before)
      out.line(
        `left out: ${full.faults
          .filter((f) => f.needsBullmq)
          .map((f) => f.id)
          .join(', ')} (needs BullMQ's locks)`,
      );
  }
  cleanup.push('removing the demo queues', () => transport.producer.close());

  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'joblens-demo-')));
  if (!options.dataDir)
    cleanup.push('removing the data directory', () => rm(dataDir, { recursive: true, force: true }));
  const analyzer = await startDemoAnalyzer({
    port: await announcePort(out, 'API port', options.port),
    otlpPort: await announcePort(out, 'OTLP port', options.otlpPort),
    dataDir,
  });
  cleanup.push('stopping the analyzer', () => analyzer.stop());
  out.line(`analyzer: findings page ${analyzer.apiUrl}/ , OTLP ${analyzer.otlpUrl} , SQLite in ${dataDir}`);
  const prometheusPorts = await exposeForPrometheus(
    out,
    scenario,
    analyzer.apiUrl,
    options.prometheusConfigFile ?? join(dataDir, 'prometheus.yml'),
  );

  const upstream = await startUpstreamServer();
  cleanup.push('stopping the fake upstream', () => upstream.close());

  fleet = new Fleet({
    hosts: scenario.hosts,
    base: {
      serviceName: scenario.serviceName,
      otlpEndpoint: analyzer.otlpUrl,
      upstreamUrl: upstream.url,
      transport: transport.config,
      sdk: DEMO_SDK_SETTINGS,
    },
    prometheusPorts,
    onMessage: (id, message) => transport.localQueue?.handle(id, message),
    onUnexpectedExit: (host, reason, stderrTail) => {
      problems.push(`worker ${host} ended (${reason})`);
      out.line(`worker ${host} ended unexpectedly (${reason})${stderrTail ? `:\n${stderrTail.trim()}` : ''}`);
    },
  });
  const traffic = new TrafficDriver(transport.producer, new Set(scenarioQueues(scenario)));
  cleanup.push('stopping traffic', () => traffic.stop());
  const ledger = new FaultLedger(scenario.faults);
  const startedFleet = fleet;
  cleanup.push('stopping the workers', () => startedFleet.stop());
  out.line(
    `starting ${scenario.hosts.length} worker processes: ${scenario.hosts.map((host) => host.host).join(', ')}`,
  );
  // Everyday traffic starts as the workers start their consumers, so each has work from its first
  // second: a worker idle while its peers start would look stuck once jobs come.
  const starting = startedFleet.start(FLEET_READY_TIMEOUT_SECONDS * 1000, () => {
    traffic.start();
    for (const fault of scenario.faults) if (fault.builtIn) ledger.markInjected(fault.id, Date.now());
  });
  // After an interrupt nobody awaits the start any more; its late failure must not end the process.
  starting.catch(() => {});
  const ready = await Promise.race([starting.then(() => true), interrupt.promise.then(() => false)]);
  if (!ready) return 130;

  const fleetReadyAtMs = Date.now();
  out.line(`fleet ready after ${((fleetReadyAtMs - startedAtMs) / 1000).toFixed(1)} s; faults start now`);
  printTimeline(out, scenario);
  const injector = new FaultInjector({
    scenario,
    producer: transport.producer,
    upstream,
    command: (id, command) => startedFleet.send(id, { type: 'command', command }),
    expectExit: (id) => startedFleet.expectExit(id),
  });
  cleanup.push('stopping fault injection', () => injector.stop());
  const injections = scenario.faults
    .filter((fault) => !fault.builtIn)
    .map((fault) =>
      setTimeout(() => {
        ledger.markInjected(fault.id, Date.now());
        injector
          .inject(fault.id)
          .catch((error: Error) => problems.push(`injecting ${fault.id}: ${error.message}`));
      }, fault.atSeconds * 1000),
    );
  cleanup.push('cancelling pending faults', () => injections.forEach(clearTimeout));

  const watch = (deadlineMs: number, quietMillis: number) =>
    watchFindings({
      apiUrl: analyzer.apiUrl,
      ledger,
      interrupt,
      deadlineMs,
      quietMillis,
      onFinding: (entry) =>
        out.line(
          formatFinding(entry, (Date.now() - startedAtMs) / 1000, { pageUrl: analyzer.apiUrl }).join('\n'),
        ),
      onSeverityChange: (finding, previous) =>
        out.line(formatSeverityChange(finding, previous, (Date.now() - startedAtMs) / 1000)),
      onTick: (pollError) => {
        const elapsed = ((Date.now() - startedAtMs) / 1000).toFixed(0);
        const errors = traffic.enqueueErrors > 0 ? ` | ${traffic.enqueueErrors} enqueue errors` : '';
        const polling = pollError ? ` | analyzer API: ${pollError}` : '';
        out.progress(
          `${elapsed}s elapsed | ${startedFleet.processedTotal()} jobs processed | ${ledger.findingCount()} findings | ` +
            `${ledger.foundCount()}/${scenario.faults.length} faults found | ${ledger.falseFindings().length} false${errors}${polling}`,
        );
      },
    });
  // The duration counts from the fleet being ready: a slow start on a busy machine must not eat the faults' time.
  const ended = await watch(fleetReadyAtMs + options.durationSeconds * 1000, options.quietSeconds * 1000);
  out.endProgress();
  if (ended === 'interrupted') {
    out.line('interrupted: cleaning up');
    return 130;
  }

  out.line('');
  for (const line of formatSummary(ledger)) out.line(line);
  const exitCode = verdict(out, ledger, problems);
  if (options.interactive) {
    // Traffic and faults go on, so the page shows a live fleet rather than a frozen one.
    out.line('');
    out.line(`The analyzer keeps running: open ${analyzer.apiUrl}/ for the findings page. Ctrl-C to stop.`);
    // New findings still print as they come, until Ctrl-C.
    await watch(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);
    out.endProgress();
    out.line('stopping: workers, queues and the analyzer');
  }
  return exitCode;
}

/**
 * Gives every worker a Prometheus endpoint on a free port and writes a Prometheus configuration that
 * scrapes them and the analyzer's /metrics, so the dashboards and rules in prometheus/ and grafana/ can
 * be tried on the demo. Resolves with each worker's port by instance id.
 */
async function exposeForPrometheus(
  out: TerminalOutput,
  scenario: Scenario,
  analyzerUrl: string,
  configFile: string,
): Promise<Map<string, number>> {
  const ports = await pickFreePorts(scenario.hosts.length);
  const byInstance = new Map(scenario.hosts.map((host, i) => [host.instanceId, ports[i]]));
  await writePrometheusConfig(configFile, {
    analyzer: new URL(analyzerUrl).host,
    workers: scenario.hosts.map((host, i) => ({ address: `127.0.0.1:${ports[i]}`, host: host.host })),
  });
  out.line(`prometheus: scrape config for the analyzer and the ${ports.length} workers in ${configFile}`);
  return byInstance;
}

async function announcePort(out: TerminalOutput, label: string, wanted: number): Promise<number> {
  const choice = await choosePort(wanted);
  if (choice.fellBack) out.line(`${label} ${wanted} is taken: using a free port instead`);
  return choice.port;
}

function printTimeline(out: TerminalOutput, scenario: Scenario): void {
  out.line('faults, each on its own queue or worker (seconds after the fleet is ready):');
  for (const fault of scenario.faults) {
    const when = fault.builtIn ? 'start' : `+${String(fault.atSeconds).padStart(2)} s`;
    out.line(`  ${when.padStart(5)}  ${fault.id.padEnd(16)} ${fault.title} (expect ${fault.findingType})`);
  }
  out.line('');
}

function verdict(out: TerminalOutput, ledger: FaultLedger, problems: string[]): number {
  const missed = ledger.rows().filter((row) => !row.detection);
  const falseFindings = ledger.falseFindings();
  if (missed.length === 0 && falseFindings.length === 0 && problems.length === 0) {
    out.line('demo passed: every injected fault was found and nothing else was reported');
    return 0;
  }
  out.line('demo failed:');
  for (const row of missed) out.line(`  missed: ${row.fault.id} (expected ${row.fault.findingType})`);
  for (const finding of falseFindings)
    out.line(`  false finding: ${finding.type} ${finding.id}: ${finding.summary}`);
  for (const problem of problems) out.line(`  problem: ${problem}`);
  return 1;
}
