/** Percentiles and the printed table, shared by every benchmark. */

export function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export function summarise(latenciesMs) {
  const sorted = Float64Array.from(latenciesMs).sort();
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

const fmtMs = (ms) =>
  Number.isNaN(ms) ? "-" : ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`;
const fmtRate = (r) =>
  Number.isNaN(r) ? "-" : r >= 100 ? Math.round(r).toLocaleString("en-US") : r.toFixed(1);

export function printTable(rows) {
  const header = ["operation", "processes", "ops/s", "p50", "p99", "notes"];
  const cells = rows.map((r) => [
    r.operation,
    String(r.processes),
    fmtRate(r.opsPerSec),
    fmtMs(r.p50),
    fmtMs(r.p99),
    r.notes ?? "",
  ]);
  printGrid(header, cells, [2, 3, 4]);
}

/** A markdown table; the columns in `right` (numbers) are right-aligned. */
export function printGrid(header, cells, right = []) {
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) =>
    `| ${c.map((x, i) => (right.includes(i) ? x.padStart(widths[i]) : x.padEnd(widths[i]))).join(" | ")} |`;
  console.log(line(header));
  console.log(
    `|${widths.map((w, i) => (right.includes(i) ? `${"-".repeat(w + 1)}:` : "-".repeat(w + 2))).join("|")}|`,
  );
  for (const c of cells) console.log(line(c));
}

/**
 * One table row from a multi-process run: throughput over the wall time, latency
 * percentiles over every operation, and each process's share of a fair split.
 */
export function rowFromRun(operation, { results, wallMs }, notes = "") {
  const all = results.flatMap((r) => r.latencies);
  const fair = all.length / results.length;
  const { p50, p99 } = summarise(all);
  return {
    operation,
    processes: results.length,
    opsPerSec: (all.length / wallMs) * 1000,
    p50,
    p99,
    notes,
    shares: results.map((r) => r.latencies.length / fair),
  };
}
