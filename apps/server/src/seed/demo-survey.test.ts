import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { SurveyAnswers } from '@qiaoliang/shared';
import { bootstrapReferenceData } from '../bootstrap.js';
import { loadConfig } from '../config.js';
import type { Deps } from '../deps.js';
import { checkAnswers } from '../modules/surveys/surveys.rules.js';
import { FixedClock } from '../platform/clock.js';
import { uuidV7Ids } from '../platform/ids.js';
import { createNotifier } from '../platform/notify.js';
import { createTestDb } from '../test/db.js';
import { DEMO_SURVEY_QUESTIONS, seedDemoSurvey } from './demo-survey.js';
import { seedDemo } from './demo.js';
import { Random } from './random.js';
import { tempDir } from '../test/temp-dir.js';

describe('demo survey', () => {
  it('adds the annual survey of 观澜府: sent, open, ~150 valid responses on the timelines, deterministic', async () => {
    const tdb = await createTestDb();
    try {
      const config = loadConfig({ DATA_DIR: tempDir('ql-seed-'), LOG_LEVEL: 'silent', FIELD_ENCRYPTION_KEY: '11'.repeat(32) });
      const clock = new FixedClock('2026-11-27T02:00:00Z');
      const log = pino({ level: 'silent' });
      const deps: Deps = { config, db: tdb.db, dialect: tdb.dialect, clock, ids: uuidV7Ids(clock), log, notifier: createNotifier(config, log) };
      await bootstrapReferenceData(deps);
      await seedDemo(deps, { scale: 'demo' });
      // The demo seed itself adds the survey once.
      const seeded = (await tdb.db.selectFrom('surveys').select('id').execute()).map((r) => r.id);
      expect(seeded).toHaveLength(1);
      const now = clock.now().getTime();
      // Twice with the same seed: two surveys that must have the same respondents and answers.
      const counts = [];
      for (let i = 0; i < 2; i++) counts.push(await tdb.db.transaction().execute((trx) => seedDemoSurvey(trx, deps, new Random(7), now)));
      expect(counts).toEqual([150, 150]);

      const db = tdb.db;
      const surveys = await db.selectFrom('surveys as s').innerJoin('projects as p', 'p.id', 's.project_id').select(['s.id', 's.status', 's.invitation_count', 's.response_count', 's.sent_at', 'p.code']).where('s.id', 'not in', seeded).orderBy('s.id').execute();
      expect(surveys).toHaveLength(2);
      const runs = [];
      for (const s of surveys) {
        expect(s).toMatchObject({ status: 'sent', code: 'GLF', response_count: 150 });
        const invitations = await db.selectFrom('survey_invitations').select(['customer_id', 'responded_at']).where('survey_id', '=', s.id).execute();
        expect(invitations).toHaveLength(Number(s.invitation_count));
        expect(Number(s.invitation_count)).toBeGreaterThan(300);
        expect(invitations.filter((i) => i.responded_at !== null)).toHaveLength(150);
        const responses = await db.selectFrom('survey_responses as r').innerJoin('customers as c', 'c.id', 'r.customer_id')
          .select(['c.name', 'r.customer_id', 'r.answers', 'r.submitted_at']).where('r.survey_id', '=', s.id).orderBy('r.customer_id').execute();
        for (const r of responses) {
          const answers = JSON.parse(r.answers) as SurveyAnswers;
          expect(checkAnswers(DEMO_SURVEY_QUESTIONS, answers)).toEqual({ answers, errors: [] });
          expect(Number(r.submitted_at)).toBeGreaterThan(Number(s.sent_at));
          expect(Number(r.submitted_at)).toBeLessThan(now);
        }
        const scores = responses.map((r) => (JSON.parse(r.answers) as SurveyAnswers).overall as number);
        const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
        expect(mean).toBeGreaterThan(3.3);
        expect(mean).toBeLessThan(4.5);
        expect(new Set(scores).size).toBeGreaterThanOrEqual(4);
        runs.push(responses.map((r) => `${r.customer_id}|${r.answers}|${String(r.submitted_at)}`));
      }
      expect(runs[0]).toEqual(runs[1]);
      const timeline = await db.selectFrom('timeline_entries').select('id').where('kind', '=', 'survey.responded').execute();
      expect(timeline).toHaveLength(450);
    } finally {
      await tdb.destroy();
    }
  }, 120_000); // a whole demo seed first: minutes on a loaded machine, seconds otherwise
});
