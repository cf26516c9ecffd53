// A user's cron script in CommonJS: `require`s the SDK and runs one scheduled job through it, exporting
// to OTEL_EXPORTER_OTLP_ENDPOINT. Run with plain node by the packed-install test.
const { runScheduledJob, startJoblens, step } = require('@joblens/sdk');
const { withJoblens } = require('@joblens/sdk/bullmq');

async function main() {
  if (typeof withJoblens !== 'function') throw new Error('@joblens/sdk/bullmq has no withJoblens');
  const joblens = startJoblens({ serviceName: 'packed-cron' });
  const rows = await runScheduledJob(joblens, { jobName: 'nightly-export' }, () =>
    step('export-rows', async () => 42),
  );
  await joblens.shutdown();
  console.log(`exported ${rows}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
