import { DateTime, TimeAgo } from '@/components/ui/time';

const MONTH_MS = 30 * 86_400_000;

/** "3 h ago (2026-11-23 09:05 UTC)"; past a month the relative form is a date already, so the date alone. */
export function MeasuredAt({ date, now }: { date: Date; now: Date }) {
  if (now.getTime() - date.getTime() > MONTH_MS) return <DateTime date={date} />;
  return (
    <>
      <TimeAgo date={date} now={now} /> (<DateTime date={date} />)
    </>
  );
}
