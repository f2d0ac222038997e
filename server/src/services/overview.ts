// The console's overview: how the portal is doing for one business, this month and week by week.
import type { Deps } from './deps';

const WEEK = 7 * 24 * 60 * 60_000;
export const OVERVIEW_WEEKS = 12;

/** The first instant of the UTC month containing `now`. */
export function utcMonthStart(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/**
 * `monthStart` lets the console say where "this month" starts in the staff member's time zone;
 * it must lie within the last 32 days (otherwise the UTC month is used).
 */
export async function overview(deps: Deps, businessId: string, options: { monthStart?: number | undefined } = {}) {
  const now = deps.clock.now();
  const monthStart =
    options.monthStart !== undefined && options.monthStart <= now && now - options.monthStart <= 32 * 24 * 60 * 60_000 ? options.monthStart : utcMonthStart(now);
  const weekStarts = Array.from({ length: OVERVIEW_WEEKS }, (_, i) => now - (OVERVIEW_WEEKS - i) * WEEK);
  const counts = await deps.store.overview(businessId, { monthStart, weekStarts, now });
  return {
    ...counts,
    month: { start: new Date(monthStart).toISOString(), ...counts.month },
    weeks: counts.weeks.map((w) => ({ ...w, start: new Date(w.start).toISOString() })),
  };
}
