/** Small helpers shared by the benchmarks: timing loops, result files, machine description. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

export function machine() {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    date: new Date().toISOString().slice(0, 10),
  };
}

/** Runs `fn` for about `ms` milliseconds after a warm-up; returns operations per second. */
export async function opsPerSecond(
  fn: () => unknown | Promise<unknown>,
  ms = 1500,
): Promise<{ ops: number; perOpMicros: number }> {
  const warmUntil = performance.now() + ms / 5;
  while (performance.now() < warmUntil) await fn();
  let n = 0;
  const start = performance.now();
  const until = start + ms;
  while (performance.now() < until) {
    await fn();
    n++;
  }
  const elapsed = performance.now() - start;
  return { ops: (n * 1000) / elapsed, perOpMicros: (elapsed * 1000) / n };
}

export function writeResult(name: string, result: Record<string, unknown>) {
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(
    new URL(`./results/${name}.json`, import.meta.url),
    `${JSON.stringify({ machine: machine(), ...result }, null, 2)}\n`,
  );
}

export function table(rows: Array<Record<string, string | number>>) {
  console.table(rows);
}
