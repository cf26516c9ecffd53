// A reader that went away (`joblens serve | head -2`, `joblens findings | head -1`) leaves nowhere to write:
// what would have gone there is dropped, and the command goes on (a server keeps serving, and stops
// cleanly at its signal) instead of dying on an unhandled EPIPE with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') return;
  process.stderr.write(`joblens: standard output failed: ${error.message}\n`);
  process.exitCode = 1;
});

// Loaded dynamically so that a module that fails to load (a broken install, a syntax error) still ends
// in one line on stderr rather than a stack trace.
try {
  const { runCli } = await import('./run-cli.js');
  process.exitCode = await runCli(process.argv.slice(2));
} catch (error) {
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  process.stderr.write(`joblens: could not start: ${message}\n`);
  if (process.env.JOBLENS_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exitCode = 1;
}
