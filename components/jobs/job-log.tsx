'use client';

import { useEffect, useRef } from 'react';
import { cx } from '@/components/ui/cx';
import { useTranslations } from 'next-intl';
import { useJobWords } from './job-words';
import type { LogLine } from './use-job-log';
import type { JobErrorWords } from '@/lib/jobs/job-error';

const levelClass = { info: 'text-slate-200', warn: 'text-amber-300', error: 'text-red-300' };

/** The log lines, following the tail unless the reader scrolled up; `quoted`: the refusals the job's error carries words for. */
export function JobLog({ lines, live, quoted }: { lines: LogLine[]; live: boolean; quoted?: JobErrorWords['quoted'] }) {
  const t = useTranslations('jobs.live');
  const words = useJobWords(quoted);
  const box = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);

  useEffect(() => {
    if (pinned.current && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines.length]);

  return (
    <div
      ref={box}
      onScroll={(e) => {
        const el = e.currentTarget;
        pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
      }}
      role="log"
      aria-live="polite"
      aria-label={t('logLabel')}
      className="max-h-[28rem] overflow-y-auto rounded-lg bg-slate-900 p-4 font-mono text-xs leading-relaxed shadow-inner"
    >
      {lines.length === 0 && <p className="text-slate-400">{t('noLines')}</p>}
      {lines.map((l) => (
        <div key={l.id} className="flex gap-3">
          <time dateTime={l.at} title={l.at} className="shrink-0 text-slate-400">
            {l.at.slice(11, 19)}
          </time>
          <span className={cx('min-w-0 whitespace-pre-wrap [overflow-wrap:anywhere]', levelClass[l.level] ?? levelClass.info)}>{words.line(l.message)}</span>
        </div>
      ))}
      {live && <p className="mt-1 animate-pulse text-slate-400">…</p>}
    </div>
  );
}
