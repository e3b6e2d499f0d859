import { useTranslations } from 'next-intl';
import type { ReactNode } from 'react';
import { cx } from './cx';

export type Tone = 'neutral' | 'info' | 'good' | 'warn' | 'bad' | 'accent';

/**
 * A short word in a tinted pill. Its look is the `badge` and `tone-*` rules of app/globals.css (a
 * list page draws hundreds); classes given here (spacing, size) win over them.
 */
export function Badge({ tone = 'neutral', children, className }: { tone?: Tone; children: ReactNode; className?: string }) {
  return <span className={badgeClass(tone, className)}>{children}</span>;
}

/** A badge's classes, for lists that draw the pill itself rather than a component per row. */
export const badgeClass = (tone: Tone, className?: string) => cx('badge', `tone-${tone}`, className);

// Job, site and health statuses share one vocabulary of colours.
const statusTones: Record<string, Tone> = {
  queued: 'neutral',
  running: 'info',
  undoing: 'warn',
  succeeded: 'good',
  failed: 'bad',
  cancelled: 'neutral',
  provisioning: 'info',
  active: 'good',
  disabled: 'neutral',
  upgrading: 'info',
  moved: 'neutral',
  trashed: 'neutral',
  up: 'good',
  down: 'bad',
  error: 'bad',
  admin: 'accent',
  webmaster: 'neutral',
  preparing: 'info',
  ready: 'good',
  expired: 'neutral',
};

/** The colour of a job's, site's or probe's status. */
export const statusTone = (status: string): Tone => statusTones[status] ?? 'neutral';

/** The status in the reader's language. */
export function StatusBadge({ status }: { status: string }) {
  const t = useTranslations('status');
  return <Badge tone={statusTone(status)}>{t('label', { status })}</Badge>;
}
