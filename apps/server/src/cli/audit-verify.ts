import { loadConfig } from '../config.js';
import { createDb } from '../db/create-db.js';
import { verifyAuditChain } from '../platform/audit.js';

/** `npm run audit:verify`: recomputes the audit hash chain; exit 1 when it is broken. */
const config = loadConfig();
const { db } = createDb(config.databaseUrl);
try {
  const r = await verifyAuditChain(db);
  if (r.ok) process.stdout.write(`Audit chain intact: ${r.checked} entries verified.\n`);
  else {
    process.stderr.write(`Audit chain BROKEN at entry ${r.brokenAtSeq}: ${r.reason} (${r.checked} entries verified before it).\n`);
    process.exitCode = 1;
  }
} finally {
  await db.destroy();
}
