'use client';

import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { fetchJson } from './fetch-json';

export interface LogLine {
  id: number;
  at: string;
  level: 'info' | 'warn' | 'error';
  message: string;
}
export interface LogPage {
  lines: LogLine[];
  cursor: number;
  /** the job is over and every line has been read */
  done?: boolean;
}

/**
 * The job's log, growing: polls the lines after the last cursor each second and keeps
 * the ones already read. Stops once the server says the job is over and nothing is left.
 */
export function useJobLog(jobId: string, initial: LogPage) {
  const [log, setLog] = useState({ lines: initial.lines, cursor: initial.cursor });
  const query = useQuery({
    // A new cursor is a new query: fetched at once when lines keep coming, polled when idle.
    queryKey: ['job-log', jobId, log.cursor],
    queryFn: () => fetchJson<LogPage>(`/api/jobs/${encodeURIComponent(jobId)}/log?after=${log.cursor}`),
    refetchInterval: (q) => (q.state.data?.done ? false : 1000),
    refetchIntervalInBackground: true,
  });

  const page = query.data;
  useEffect(() => {
    if (!page?.lines.length) return;
    // eslint-disable-next-line react-hooks/set-state-in-effect -- lines accumulate across queries: each new cursor is a query of its own
    setLog((prev) => {
      const fresh = page.lines.filter((l) => l.id > prev.cursor);
      return fresh.length ? { lines: [...prev.lines, ...fresh], cursor: fresh[fresh.length - 1]!.id } : prev;
    });
  }, [page]);

  return { lines: log.lines, done: !!page?.done, error: query.error };
}
