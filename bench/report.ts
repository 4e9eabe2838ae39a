// The table every figure ends up in: one row per figure, ours against the stock manager (or the
// raw AsyncLocalStorage floor), their ratio and the goal it is held to.

/**
 * A goal on the ratio ours / base, or with `on: 'ms over base'` on the difference ours - base in
 * milliseconds (the cold start): at most (`<=`) or at least (`>=`) `value`.
 */
export interface Goal {
  readonly op: '<=' | '>=';
  readonly value: number;
  readonly on?: 'ratio' | 'ms over base';
}

/** One line of the results table. */
export interface Row {
  /** What is measured, and against what. */
  readonly figure: string;
  /** Our side, formatted with its unit. */
  readonly ours: string;
  /** The comparison side (stock manager, raw AsyncLocalStorage, or ours in another state). */
  readonly base: string;
  readonly ratio: number;
  /** ours - base in milliseconds, for a goal on the difference. */
  readonly difference?: number;
  /** Null for figures reported for information (complexity, contrast). */
  readonly goal: Goal | null;
}

/** Formats a duration given in nanoseconds with a unit that keeps 3 significant digits. */
export function ns(x: number): string {
  if (x < 1000) return `${x.toPrecision(3)} ns`;
  if (x < 1e6) return `${(x / 1e3).toPrecision(3)} us`;
  return `${(x / 1e6).toPrecision(3)} ms`;
}

/** Whether the row meets its goal (false for a row without one). */
export function met(row: Row): boolean {
  const { goal } = row;
  if (goal === null) return false;
  const x = goal.on === 'ms over base' ? (row.difference ?? Number.NaN) : row.ratio;
  return goal.op === '<=' ? x <= goal.value : x >= goal.value;
}

function verdict(row: Row): string {
  if (row.goal === null) return 'info';
  return met(row) ? 'met' : 'MISSED';
}

/** The rows as a GitHub-flavoured Markdown table (also readable in a terminal). */
export function markdownTable(rows: readonly Row[]): string {
  const header = ['figure', 'ours', 'stock / base', 'ratio', 'goal', ''];
  const lines = rows.map((r) => [
    r.figure,
    r.ours,
    r.base,
    Number.isNaN(r.ratio) ? '-' : r.ratio >= 0.1 && r.ratio < 10 ? r.ratio.toFixed(2) : r.ratio.toPrecision(2),
    r.goal === null ? '-' : `${r.goal.op} ${r.goal.value}${r.goal.on === 'ms over base' ? ' ms over' : ''}`,
    verdict(r),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [fmt(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(fmt)].join('\n');
}
