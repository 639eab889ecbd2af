/**
 * Run a bench's `main` as the process: its exit code is the bench's answer, and a failure prints
 * its stack and exits 1 (a bench's servers are stopped by its own `finally`).
 */
export function runBench(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      process.exit(1);
    },
  );
}
