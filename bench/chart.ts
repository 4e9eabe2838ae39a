// The set+reset chart of docs/performance.md: cost of one set+reset against the number of bound
// vars, ours and the stock idiom, one pair of lines per Node line. A run on one Node line merges
// its series into docs/perf-data.json (keyed by major version), then the SVG is drawn from every
// series in that file, so runs on Node 20 and 24 end up in one chart. Hand-written SVG: no chart
// dependency.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ScalingPoint } from './micro';

const DOCS = path.join(__dirname, '..', 'docs');
/** The merged series of every Node line run so far. */
export const DATA_FILE = path.join(DOCS, 'perf-data.json');
/** The chart shown in docs/performance.md. */
export const CHART_FILE = path.join(DOCS, 'perf-set-reset.svg');

/** One Node line's series. */
interface Series {
  node: string;
  date: string;
  points: ScalingPoint[];
}

interface ChartData {
  about: string;
  series: Record<string, Series>;
}

const ABOUT =
  'Written by `npm run bench` (bench/chart.ts): set+reset in ns per operation against the number of bound vars, ' +
  'ours (v.set + v.reset) and stock (context.with(active().setValue(k, x), fn)), each in its own process, in a setImmediate callback. ' +
  'One entry per Node major version; a run replaces its own entry.';

function readData(): ChartData {
  if (!existsSync(DATA_FILE)) return { about: ABOUT, series: {} };
  const data = JSON.parse(readFileSync(DATA_FILE, 'utf8')) as Partial<ChartData>;
  return { about: ABOUT, series: data.series ?? {} };
}

// ---- drawing -------------------------------------------------------------------------------------

const W = 720;
const H = 440;
const M = { left: 80, right: 24, top: 48, bottom: 64 };
const COLORS = ['#1f6fb4', '#d1492e', '#2a9d4b', '#8a4fc0'];

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function nsLabel(x: number): string {
  if (x < 1000) return `${x} ns`;
  if (x < 1e6) return `${x / 1e3} µs`;
  return `${x / 1e6} ms`;
}

/** The SVG text for `data`: log x (bound vars), log y (ns per set+reset). */
export function renderChart(data: ChartData): string {
  const entries = Object.entries(data.series).sort(([a], [b]) => Number(a) - Number(b));
  const values = entries.flatMap(([, s]) => s.points.flatMap((p) => [p.ours, p.stock]));
  const lo = Math.floor(Math.log10(Math.min(...values)));
  const hi = Math.ceil(Math.log10(Math.max(...values)));
  const x = (vars: number): number => M.left + (Math.log10(vars) / 3) * (W - M.left - M.right);
  const y = (v: number): number =>
    H - M.bottom - ((Math.log10(v) - lo) / Math.max(hi - lo, 1)) * (H - M.top - M.bottom);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">v.set + v.reset against the stock idiom, by number of bound vars</text>`,
    `<text x="${W / 2}" y="38" text-anchor="middle" fill="#555">ns per operation (log); one process per side, in a setImmediate callback; lower is better</text>`,
  ];
  for (let d = lo; d <= hi; d++) {
    const v = 10 ** d;
    out.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`);
    out.push(`<text x="${M.left - 8}" y="${y(v) + 4}" text-anchor="end">${nsLabel(v)}</text>`);
  }
  for (const vars of [1, 10, 100, 1000]) {
    out.push(`<line x1="${x(vars)}" x2="${x(vars)}" y1="${M.top}" y2="${H - M.bottom}" stroke="#eee"/>`);
    out.push(
      `<text x="${x(vars)}" y="${H - M.bottom + 18}" text-anchor="middle">${vars.toLocaleString('en-US')}</text>`,
    );
  }
  out.push(
    `<text x="${(M.left + W - M.right) / 2}" y="${H - 22}" text-anchor="middle">vars bound in the context (log)</text>`,
  );
  out.push(
    `<rect x="${M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}" fill="none" stroke="#888"/>`,
  );
  entries.forEach(([major, s], i) => {
    const color = COLORS[i % COLORS.length];
    for (const which of ['ours', 'stock'] as const) {
      const pts = s.points.map((p) => `${x(p.vars).toFixed(1)},${y(p[which]).toFixed(1)}`);
      const dash = which === 'stock' ? ' stroke-dasharray="7 5"' : '';
      out.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="${color}" stroke-width="2.5"${dash}/>`);
      for (const p of s.points) {
        const cx = x(p.vars);
        const cy = y(p[which]);
        out.push(
          which === 'ours'
            ? `<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="4" fill="${color}"><title>Node ${major} ours, ${p.vars} var(s): ${p.ours.toFixed(0)} ns</title></circle>`
            : `<rect x="${(cx - 4).toFixed(1)}" y="${(cy - 4).toFixed(1)}" width="8" height="8" fill="#fff" stroke="${color}" stroke-width="2"><title>Node ${major} stock, ${p.vars} key(s): ${p.stock.toFixed(0)} ns</title></rect>`,
        );
      }
    }
    const ly = M.top + 16 + i * 36;
    const lx = M.left + 14;
    out.push(`<line x1="${lx}" x2="${lx + 30}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2.5"/>`);
    out.push(
      `<text x="${lx + 38}" y="${ly + 4}">Node ${esc(s.node)} ours: v.set(x); v.reset(t) (${esc(s.date)})</text>`,
    );
    out.push(
      `<line x1="${lx}" x2="${lx + 30}" y1="${ly + 16}" y2="${ly + 16}" stroke="${color}" stroke-width="2.5" stroke-dasharray="7 5"/>`,
    );
    out.push(
      `<text x="${lx + 38}" y="${ly + 20}">Node ${esc(s.node)} stock: context.with(active().setValue(k, x), fn)</text>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** Merges this run's points into the data file as this Node line's series, and redraws the chart. */
export function updateChart(points: ScalingPoint[]): string {
  const data = readData();
  const round = (v: number): number => Math.round(v * 10) / 10;
  data.series[process.versions.node.split('.')[0]] = {
    node: process.version,
    date: new Date().toISOString().slice(0, 10),
    points: points.map((p) => ({
      vars: p.vars,
      ours: round(p.ours),
      stock: round(p.stock),
      ratio: Math.round(p.ratio * 1000) / 1000,
    })),
  };
  writeFileSync(DATA_FILE, `${JSON.stringify(data, null, 2)}\n`);
  writeFileSync(CHART_FILE, renderChart(data));
  return path.relative(process.cwd(), CHART_FILE);
}
