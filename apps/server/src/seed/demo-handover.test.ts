import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { bootstrapReferenceData } from '../bootstrap.js';
import { loadConfig } from '../config.js';
import type { Deps } from '../deps.js';
import { batchReport } from '../modules/handover/handover.service.js';
import type { Actor } from '../platform/auth.js';
import { FixedClock } from '../platform/clock.js';
import { uuidV7Ids } from '../platform/ids.js';
import { createNotifier } from '../platform/notify.js';
import { createTestDb } from '../test/db.js';
import { tempDir } from '../test/temp-dir.js';
import { seedDemo } from './demo.js';

describe('demo handover batch', () => {
  it('江畔华庭: ~200 units, ~1,500 defects, some overdue, two contractors clearly worse', async () => {
    const tdb = await createTestDb();
    try {
      const config = loadConfig({ DATA_DIR: tempDir('ql-seed-'), LOG_LEVEL: 'silent', FIELD_ENCRYPTION_KEY: '11'.repeat(32) });
      const clock = new FixedClock('2026-11-27T02:00:00Z');
      const log = pino({ level: 'silent' });
      const deps: Deps = { config, db: tdb.db, dialect: tdb.dialect, clock, ids: uuidV7Ids(clock), log, notifier: createNotifier(config, log) };
      await bootstrapReferenceData(deps);
      await seedDemo(deps, { scale: 'demo' });
      const batch = await tdb.db.selectFrom('handover_batches').select('id').executeTakeFirstOrThrow();
      const root = { userId: 'x', roles: ['admin'], projectIds: null, cityCompanyIds: null, departmentId: null } as unknown as Actor;
      const r = await batchReport(deps, root, batch.id, 'contractor');
      expect(r.progress.units).toBe(200);
      expect(r.total.defects).toBeGreaterThan(1300);
      expect(r.total.defects).toBeLessThan(1700);
      expect(r.total.buckets.overdue_open).toBeGreaterThan(50);
      expect(r.progress.accepted).toBeGreaterThan(50);
      expect(r.progress.refused).toBeGreaterThan(0);
      const group = (name: string) => r.groups.find((g) => g.name.startsWith(name))!;
      const lateShare = (name: string) => { const g = group(name); return (g.buckets.late_done + g.buckets.overdue_open) / g.defects; };
      for (const worse of ['华美装饰', '安居门窗']) {
        for (const good of ['中建八局', '深圳恒通', '东方雨虹']) {
          expect(group(worse).onTimeRate!).toBeLessThan(group(good).onTimeRate! - 0.2);
          expect(lateShare(worse)).toBeGreaterThan(lateShare(good) + 0.2);
          expect(group(worse).reinspectPassRate ?? 0).toBeLessThan(group(good).reinspectPassRate ?? 1);
        }
      }
    } finally {
      await tdb.destroy();
    }
  }, 120_000);
});
