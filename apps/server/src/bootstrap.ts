import type { Deps } from './deps.js';
import { syncOfficialCalendar } from './modules/calendar/calendar.service.js';
import { ensureDefaultCategories } from './modules/tickets/categories.service.js';
import { convertClearPhones } from './modules/customers/customer-phones.repo.js';

/**
 * Reference data every installation needs, made idempotently at every start: the official
 * working calendar (new years arrive with package updates) and the default ticket categories.
 * It also encrypts customer phones still stored in clear (written before the 2026-12-03-1400
 * migration, which cannot read the field key): in batches, before the server accepts requests,
 * so every lookup can rely on the blind index.
 */
export async function bootstrapReferenceData(deps: Deps): Promise<void> {
  const now = deps.clock.now().getTime();
  const added = await syncOfficialCalendar(deps.db, now);
  if (added) deps.log.info({ added }, 'official calendar days added');
  await ensureDefaultCategories(deps.db, deps, now);
  const phones = await convertClearPhones(deps.db, deps.config.fieldKey);
  if (phones) deps.log.info({ phones }, 'customer phones encrypted');
}
