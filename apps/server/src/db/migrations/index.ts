import type { Migration } from 'kysely';
import * as foundation from './2026-11-27-0001-foundation.js';
import * as ownerArchive from './2026-11-27-0100-owner-archive.js';
import * as tickets from './2026-11-27-0200-tickets.js';
import * as hotline from './2026-11-27-0300-hotline.js';
import * as callbacksKpis from './2026-11-27-0400-callbacks-kpis.js';
import * as surveys from './2026-11-27-0500-surveys.js';
import * as benchIndexes from './2026-11-27-0900-bench-indexes.js';
import * as queueIndexes from './2026-11-27-0910-queue-indexes.js';
import * as loginThrottles from './2026-12-03-0100-login-throttles.js';
import * as searchTokens from './2026-12-03-0200-search-tokens.js';
import * as exportJobs from './2026-12-03-1300-export-jobs.js';
import * as visitAttempts from './2026-12-03-1310-visit-attempts.js';
import * as kpiScopeSnapshots from './2026-12-03-1330-kpi-scope-snapshots.js';
import * as customerPhonesEncrypted from './2026-12-03-1400-customer-phones-encrypted.js';
import * as kpiRollups from './2026-12-04-0100-kpi-rollups.js';
import * as callsEndReason from './2026-12-04-0200-calls-end-reason.js';
import * as handover from './2026-12-04-0500-handover.js';
import * as portal from './2026-12-04-0600-portal.js';
import * as replyTemplates from './2026-12-04-0700-reply-templates.js';

/** Every migration in order. Names are ISO-dated; a merged migration is never edited. */
export const migrations: Record<string, Migration> = {
  '2026-11-27-0001-foundation': foundation,
  '2026-11-27-0100-owner-archive': ownerArchive,
  '2026-11-27-0200-tickets': tickets,
  '2026-11-27-0300-hotline': hotline,
  '2026-11-27-0400-callbacks-kpis': callbacksKpis,
  '2026-11-27-0500-surveys': surveys,
  '2026-11-27-0900-bench-indexes': benchIndexes,
  '2026-11-27-0910-queue-indexes': queueIndexes,
  '2026-12-03-0100-login-throttles': loginThrottles,
  '2026-12-03-0200-search-tokens': searchTokens,
  '2026-12-03-1300-export-jobs': exportJobs,
  '2026-12-03-1310-visit-attempts': visitAttempts,
  '2026-12-03-1330-kpi-scope-snapshots': kpiScopeSnapshots,
  '2026-12-03-1400-customer-phones-encrypted': customerPhonesEncrypted,
  '2026-12-04-0100-kpi-rollups': kpiRollups,
  '2026-12-04-0200-calls-end-reason': callsEndReason,
  '2026-12-04-0500-handover': handover,
  '2026-12-04-0600-portal': portal,
  '2026-12-04-0700-reply-templates': replyTemplates,
};
