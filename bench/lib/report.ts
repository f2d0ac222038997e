// What every benchmark prints about the machine and writes to bench/results/<name>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';

export const resultsDir = resolve(import.meta.dirname, '../results');

export function machine() {
  const cpu = cpus();
  return {
    cpus: cpu.length,
    model: cpu[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverage: loadavg().map((n) => Math.round(n * 100) / 100),
    note: 'shared machine: other work runs on the same cores; figures are noisy, for orientation',
  };
}

export function writeResults(name: string, results: unknown): string {
  mkdirSync(resultsDir, { recursive: true });
  const file = resolve(resultsDir, `${name}.json`);
  writeFileSync(file, `${JSON.stringify({ name, measuredAt: new Date().toISOString(), machine: machine(), ...(results as object) }, null, 2)}\n`);
  return file;
}

/** A fixed-width table for the terminal. */
export function table(header: string[], rows: (string | number)[][]): string {
  const all = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [line(all[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(line)].join('\n');
}
