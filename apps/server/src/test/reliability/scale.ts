import { appendFileSync } from 'node:fs';

/**
 * The reliability suite runs short in `npm test` (CI) and long in `npm run test:reliability`
 * (RELIABILITY=long). Every count in it comes from here, so the two runs are the same tests.
 */
export const LONG = process.env.RELIABILITY === 'long';

/** The short (CI) or the long count. */
export const scale = (short: number, long: number): number => (LONG ? long : short);

export const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
export const dbLabel = onPostgres ? 'postgres' : 'sqlite';

/**
 * Prints a result line (`[reliability] …`) and, when RELIABILITY_FIGURES names a file, appends
 * it as JSON there: docs/reliability.md quotes these figures.
 */
export function recordFigures(test: string, figures: Record<string, unknown>): void {
  const entry = { test, db: dbLabel, mode: LONG ? 'long' : 'short', at: new Date().toISOString(), ...figures };
  process.stdout.write(`[reliability] ${JSON.stringify(entry)}\n`);
  const file = process.env.RELIABILITY_FIGURES;
  if (file) appendFileSync(file, `${JSON.stringify(entry)}\n`);
}

/** Waits until `cond` holds, polling; throws with `what` after `timeoutMs`. */
export async function until(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string, everyMs = 50): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
