import type { Deps } from './deps.js';
import { syncOfficialCalendar } from './modules/calendar/calendar.service.js';
import { ensureDefaultCategories } from './modules/tickets/categories.service.js';

/**
 * Reference data every installation needs, made idempotently at every start: the official
 * working calendar (new years arrive with package updates) and the default ticket categories.
 */
export async function bootstrapReferenceData(deps: Deps): Promise<void> {
  const now = deps.clock.now().getTime();
  const added = await syncOfficialCalendar(deps.db, now);
  if (added) deps.log.info({ added }, 'official calendar days added');
  await ensureDefaultCategories(deps.db, deps, now);
}
