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
