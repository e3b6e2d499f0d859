export type EolState = 'none' | 'ok' | 'soon' | 'past';

/** How a platform stands against its end of life: past it, within `soonDays`, or fine. */
export function eolState(eolDate: Date | null, now = new Date(), soonDays = 90): EolState {
  if (!eolDate) return 'none';
  if (eolDate <= now) return 'past';
  return eolDate.getTime() - now.getTime() <= soonDays * 86_400_000 ? 'soon' : 'ok';
}
