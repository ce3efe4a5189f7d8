import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createDeps } from './deps.js';
import { migrateToLatest } from './db/migrate.js';
import { isDatabaseEmpty, seedDemo, DEMO_ACCOUNTS } from './seed/demo.js';
import { startBackgroundWork } from './jobs.js';
import { bootstrapReferenceData } from './bootstrap.js';

/** Entry point: config → deps → migrate → (demo seed) → app → listen; closes gracefully. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const deps = createDeps(config);
  const applied = await migrateToLatest(deps.db);
  if (applied.length) deps.log.info({ applied }, 'migrations applied');

  await bootstrapReferenceData(deps);
  let seeded = false;
  if (config.seedDemo && (await isDatabaseEmpty(deps.db))) {
    deps.log.info('empty database: loading demo data');
    await seedDemo(deps, { scale: 'demo' });
    seeded = true;
  }

  const app = await buildApp(deps);
  const background = config.runJobs ? startBackgroundWork(deps) : null;
  await app.listen({ port: config.port, host: config.host });
  const url = `http://localhost:${(app.server.address() as { port: number }).port}`;
  const lines = [
    '',
    `  桥梁 Qiaoliang is running at ${url}`,
    `  Database: ${config.dialect === 'sqlite' ? config.sqlitePath : 'PostgreSQL'}${seeded ? ' (demo data loaded)' : ''}`,
    `  API docs: ${url}/api/docs`,
  ];
  const hasDemoAccounts = Boolean(await deps.db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirst());
  if (hasDemoAccounts && config.seedDemo) {
    lines.push(`  Demo logins (password: ${config.demoPassword === 'demo1234' ? 'demo1234' : 'the DEMO_PASSWORD you set'}):`);
    for (const a of DEMO_ACCOUNTS) lines.push(`    ${a.username.padEnd(11)} ${a.label}`);
  }
  const anyUser = await deps.db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  if (!anyUser) lines.push('  No user yet: create the first administrator with', '    npm run admin:create -- --username <login name> --name <display name>');
  process.stdout.write(lines.join('\n') + '\n\n');

  let closing = false;
  const close = async (signal: string) => {
    if (closing) return;
    closing = true;
    deps.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await background?.stop();
    await app.close();
    await deps.db.destroy();
    process.exit(0);
  };
  process.on('SIGINT', () => void close('SIGINT'));
  process.on('SIGTERM', () => void close('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`Qiaoliang failed to start: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
