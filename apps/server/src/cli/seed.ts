import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { createDeps } from '../deps.js';
import { migrateToLatest } from '../db/migrate.js';
import { isDatabaseEmpty, seedDemo } from '../seed/demo.js';
import { bootstrapReferenceData } from '../bootstrap.js';

/** `npm run seed -- --scale demo`: loads deterministic demo data into an empty database. */
const { values } = parseArgs({ options: { scale: { type: 'string', default: 'demo' }, seed: { type: 'string', default: '20261127' } } });
if (values.scale !== 'demo') {
  process.stderr.write(`Unknown scale "${values.scale}". Available: demo.\n`);
  process.exit(2);
}
const deps = createDeps(loadConfig());
try {
  await migrateToLatest(deps.db);
  await bootstrapReferenceData(deps);
  if (!(await isDatabaseEmpty(deps.db))) {
    process.stderr.write('The database already has data; the demo seed only loads into an empty database.\n');
    process.exitCode = 1;
  } else {
    const counts = await seedDemo(deps, { scale: 'demo', seed: Number(values.seed) });
    process.stdout.write(`Demo data loaded: ${JSON.stringify(counts)}\n`);
  }
} finally {
  await deps.db.destroy();
}
