/**
 * Entry point of the bundle (native-host/dist/ferry-host.mjs): runs the CLI with the process's
 * arguments. The exit code is set rather than forced, so Node exits only after stdout is drained.
 */
import { runCli } from './cli';

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // A handle nobody owns (a handler's stray timer) must not keep a finished host alive, nor a write
    // to a stdout nobody reads. When runCli resolves every frame is flushed, or serve has given up on
    // a stalled stdout and logged what it dropped, so ending the process after a moment loses nothing.
    setTimeout(() => process.exit(code), 1000).unref();
    process.stdin.destroy();
  },
  (error: unknown) => {
    process.stderr.write(`ferry-host: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
