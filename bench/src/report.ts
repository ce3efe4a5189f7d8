/** The results file and its Markdown table, with each scenario judged against the issue's targets. */
import type { Stats } from './load.js';

export interface ScenarioResult {
  name: string;
  title: string;
  floor: Stats;
  app: Stats;
  alongside?: { label: string; floor: Stats; app: Stats };
  /** The machine's 1-minute load average when the scenario ended (other work on a shared box shows here). */
  load1?: number;
  recall?: { kind: string; q: string; expected: number; found: number; returned: number; truncated?: boolean }[];
}

export interface Result {
  date: string;
  finishedAt?: string;
  db: 'sqlite' | 'postgres';
  mode: 'quick' | 'full';
  scale: string;
  processes: number;
  warmupS: number;
  measureS: number;
  reused: boolean;
  seedSeconds: number | null;
  counts: Record<string, number>;
  machine: { cpus: number; model: string; memGiB: number; node: string; db: string; loadBefore?: number[]; loadAfter?: number[] };
  scenarios: ScenarioResult[];
  notes: string[];
  baseline?: { file: string; scenarios: ScenarioResult[] };
  sqliteBaseline?: { file: string; scenarios: ScenarioResult[] };
}

const errorsOf = (s: Stats) => Object.values(s.statuses).reduce((a, b) => a + b, 0) + s.errors + s.timeouts;
const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 100) / 100 : 0);
const mark = (ok: boolean) => (ok ? '✅' : '❌');

/** Verdicts against the issue's targets (2 cores, 1M tickets); quick runs are indicative only. */
export function verdicts(r: Result, s: ScenarioResult): string[] {
  const a = s.app;
  const out: string[] = [];
  const rps = ratio(a.rps, s.floor.rps);
  if (!a.ok && s.name !== 'overload') return [`❌ no successful answer (${a.timeouts} timeouts, ${a.errors} errors)`];
  switch (s.name) {
    case 'register':
      out.push(`${mark(a.rps >= 300)} ≥ 300/s (${a.rps})`, `${mark(a.p99 <= 100)} p99 ≤ 100 ms (${a.p99})`, `${mark(rps >= 0.3)} ≥ 0.3 × floor (${rps})`, `${mark(errorsOf(a) === 0)} 0 errors`);
      if (r.sqliteBaseline) {
        const lite = r.sqliteBaseline.scenarios.find((x) => x.name === 'register');
        if (lite) out.push(`${mark(a.rps >= lite.app.rps)} PG (${r.processes} processes) ≥ SQLite (${lite.app.rps}/s)`);
      }
      break;
    case 'detail':
      out.push(`${mark(rps >= 0.3)} ≥ 0.3 × floor (${rps})`, `${mark(a.p99 <= 20)} p99 ≤ 20 ms (${a.p99})`);
      break;
    case 'queue-agent': case 'queue-leader-deep': case 'queue-all-deep':
      out.push(`${mark(a.p95 <= 50)} p95 ≤ 50 ms (${a.p95})`);
      break;
    case 'lookup':
      out.push(`${mark(a.p95 <= 10)} p95 ≤ 10 ms (${a.p95})`);
      break;
    case 'search-customers': case 'search-tickets': {
      const rec = s.recall ?? [];
      const exp = rec.reduce((x, y) => x + y.expected, 0);
      const found = rec.reduce((x, y) => x + y.found, 0);
      out.push(`${mark(a.p95 <= 100)} p95 ≤ 100 ms (${a.p95})`, `${mark(exp === found)} recall 100% (${exp ? Math.round((found / exp) * 1000) / 10 : 100}%)`);
      break;
    }
    case 'kpis': case 'dashboard': {
      out.push(`${mark(a.p95 <= 100)} p95 ≤ 100 ms (${a.p95})`);
      const b = r.baseline?.scenarios.find((x) => x.name === s.name);
      if (b) out.push(`${mark(a.p50 <= 1.5 * b.app.p50)} ≤ 1.5 × at 100k tickets (${ratio(a.p50, b.app.p50)} ×)`);
      break;
    }
    case 'flood':
      out.push(`${mark(errorsOf(a) + (s.alongside ? errorsOf(s.alongside.app) : 0) === 0)} 0 errors`);
      if (s.alongside) out.push(`${mark(s.alongside.app.ok > 0 && s.alongside.app.p99 <= 300)} agent p99 ≤ 300 ms (${s.alongside.app.ok ? s.alongside.app.p99 : `no answer: ${s.alongside.app.timeouts} timeouts`})`);
      break;
    case 'leader': {
      const alone = r.scenarios.find((x) => x.name === 'agents');
      if (alone) out.push(`${mark(a.p99 <= 2 * alone.app.p99)} agents' p99 ≤ 2 × without the leader (${a.p99} vs ${alone.app.p99} ms)`);
      if (s.alongside) out.push(`${mark(s.alongside.app.ok > 0)} the leader's reports answer (${s.alongside.app.ok} in ${s.alongside.app.p50} ms p50)`);
      break;
    }
    case 'overload':
      out.push(`${mark((a.statuses['503'] ?? 0) > 0 && a.timeouts === 0)} sheds load with 503 (${a.statuses['503'] ?? 0} × 503, ${a.timeouts} timeouts, p99 ${a.p99} ms)`);
      break;
  }
  return out;
}

export function markdown(r: Result): string {
  const lines: string[] = [];
  lines.push(`### ${r.db === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, ${r.mode} (${r.scale}: ${(r.counts.tickets ?? 0).toLocaleString('en')} tickets, ${(r.counts.customers ?? 0).toLocaleString('en')} customers), ${r.processes} server process${r.processes > 1 ? 'es' : ''}`);
  lines.push('');
  lines.push(`${r.date} · ${r.machine.cpus} × ${r.machine.model}, ${r.machine.memGiB} GiB · Node ${r.machine.node} · ${r.machine.db} · warm-up ${r.warmupS} s, measure ${r.measureS} s per side · seed ${r.reused ? 'reused' : `${r.seedSeconds ?? '?'} s`} · load average before ${r.machine.loadBefore?.join('/') ?? '?'}, after ${r.machine.loadAfter?.join('/') ?? '?'}`);
  lines.push('');
  lines.push('| scenario | floor req/s | app req/s | app/floor | app p50 | p95 | p99 (ms) | non-2xx / errors | load | targets |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const s of r.scenarios) {
    const a = s.app;
    lines.push(`| ${s.name} | ${s.floor.rps} | ${a.rps} | ${ratio(a.rps, s.floor.rps)} | ${a.p50} | ${a.p95} | ${a.p99} | ${errorsOf(a)}${Object.keys(a.statuses).length ? ` ${JSON.stringify(a.statuses)}` : ''} | ${s.load1 ?? ''} | ${verdicts(r, s).join('<br>')} |`);
    if (s.alongside) {
      const b = s.alongside.app;
      lines.push(`| ↳ ${s.alongside.label} | ${s.alongside.floor.rps} | ${b.rps} | ${ratio(b.rps, s.alongside.floor.rps)} | ${b.p50} | ${b.p95} | ${b.p99} | ${errorsOf(b)} | | |`);
    }
  }
  const rec = r.scenarios.flatMap((s) => s.recall ?? []);
  if (rec.length) {
    lines.push('');
    lines.push('Search recall (labelled set: every record in the agent\'s scope whose name, or ticket title/description, contains the words):');
    lines.push('');
    lines.push('| kind | query | expected | found | returned |');
    lines.push('|---|---|---:|---:|---:|');
    for (const x of rec) lines.push(`| ${x.kind} | ${x.q} | ${x.expected} | ${x.found} | ${x.returned}${x.truncated ? ' (stopped at 60 pages)' : ''} |`);
  }
  if (r.notes.length) {
    lines.push('');
    for (const n of r.notes) lines.push(`- ${n}`);
  }
  lines.push('');
  lines.push('Scenario titles: ' + r.scenarios.map((s) => `**${s.name}**: ${s.title}`).join('; ') + '.');
  return lines.join('\n');
}
