/** Small helpers the benchmarks share: percentiles and a figure-beside-target table. */

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export interface Row {
  figure: string;
  value: number;
  unit: string;
  target: string;
  ok: boolean;
  baseline?: string;
}

export function printTable(title: string, rows: Row[]): void {
  console.log(`\n${title}`);
  const fmt = (v: number) => (Number.isFinite(v) ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1)) : 'n/a');
  for (const r of rows) {
    const mark = r.ok ? 'ok  ' : 'MISS';
    const base = r.baseline ? `   baseline: ${r.baseline}` : '';
    console.log(`  ${mark} ${r.figure.padEnd(44)} ${`${fmt(r.value)} ${r.unit}`.padStart(12)}   target ${r.target}${base}`);
  }
}
