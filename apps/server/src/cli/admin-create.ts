import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { createDeps } from '../deps.js';
import { migrateToLatest } from '../db/migrate.js';
import { bootstrapReferenceData } from '../bootstrap.js';
import { createFirstAdmin } from '../modules/users/users.service.js';
import { AppError } from '../http/app-error.js';

/**
 * `npm run admin:create -- --username zhangsan --name 张三`: creates a group-wide administrator
 * with a one-time password (printed once, changed at the first login). How a production install
 * without demo data gets its first user.
 */
const { values } = parseArgs({ options: { username: { type: 'string' }, name: { type: 'string' } } });
if (!values.username || !values.name) {
  process.stderr.write('Usage: npm run admin:create -- --username <login name> --name <display name>\n');
  process.exit(2);
}
const deps = createDeps(loadConfig());
try {
  await migrateToLatest(deps.db);
  await bootstrapReferenceData(deps);
  const { password } = await createFirstAdmin(deps, values.username, values.name);
  process.stdout.write(`Administrator "${values.username}" created.\nOne-time password (shown once; it must be changed at the first login): ${password}\n`);
} catch (err) {
  if (!(err instanceof AppError)) throw err;
  process.stderr.write(`Not created: ${err.detail ?? err.message}\n`);
  process.exitCode = 1;
} finally {
  await deps.db.destroy();
}
