import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { createDeps } from '../deps.js';
import { migrateToLatest } from '../db/migrate.js';
import { isDatabaseEmpty, seedDemo } from '../seed/demo.js';
import { bootstrapReferenceData } from '../bootstrap.js';
import { backfillRollups } from '../modules/kpis/rollups.service.js';
import { BENCH_SCALES, benchScale, seedBenchScale, type BenchScaleName } from '../seed/bench-scale.js';

/** `npm run seed -- --scale demo`: loads deterministic demo data into an empty database. */
const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: 'demo' }, seed: { type: 'string', default: '20261127' },
    // --scale bench | bench-small only: sizes of the benchmark dataset.
    customers: { type: 'string' }, tickets: { type: 'string' }, units: { type: 'string' }, projects: { type: 'string' }, years: { type: 'string' },
  },
});
const isBench = values.scale === 'bench' || values.scale === 'bench-small';
if (values.scale !== 'demo' && !isBench) {
  process.stderr.write(`Unknown scale "${values.scale}". Available: demo, ${Object.keys(BENCH_SCALES).join(', ')}.\n`);
  process.exit(2);
}
const deps = createDeps(loadConfig());
try {
  await migrateToLatest(deps.db);
  await bootstrapReferenceData(deps);
  if (!(await isDatabaseEmpty(deps.db))) {
    process.stderr.write(`The database already has data; the ${isBench ? 'bench' : 'demo'} seed only loads into an empty database.\n`);
    process.exitCode = 1;
  } else if (isBench) {
    const num = (v: string | undefined) => (v === undefined ? undefined : Number(v.replace(/[_,]/g, '')));
    const opts = benchScale(values.scale as BenchScaleName, {
      customers: num(values.customers), tickets: num(values.tickets), units: num(values.units), projects: num(values.projects), years: num(values.years), seed: Number(values.seed),
    });
    process.stdout.write(`Bench data (${values.scale}): ${JSON.stringify(opts)} into ${deps.dialect === 'sqlite' ? deps.config.sqlitePath : 'PostgreSQL'}\n`);
    const counts = await seedBenchScale(deps, opts, (line) => process.stdout.write(`${line}\n`));
    // The KPI rollups of the loaded history (the job would do it on the server's first minutes).
    const t0 = Date.now();
    const b = await backfillRollups(deps);
    process.stdout.write(`KPI rollups backfilled: ${b.days} days in ${Math.round((Date.now() - t0) / 100) / 10} s\n`);
    process.stdout.write(`Bench data loaded: ${JSON.stringify(counts)}\n`);
  } else {
    const counts = await seedDemo(deps, { scale: 'demo', seed: Number(values.seed) });
    process.stdout.write(`Demo data loaded: ${JSON.stringify(counts)}\n`);
  }
} finally {
  await deps.db.destroy();
}
