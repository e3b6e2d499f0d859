import Link from 'next/link';
import { HostName } from '@/components/sites/host-name';

/** What a job acts on: its site's page when it is about one site still known, else its words. */
export function JobTarget({ job }: { job: { siteId: string | null; target: string | null } }) {
  if (!job.target) return <span className="text-slate-500">—</span>;
  if (!job.siteId) return <HostName host={job.target} />;
  return (
    <Link href={`/sites/${job.target}`} className="text-indigo-700 hover:underline">
      <HostName host={job.target} />
    </Link>
  );
}
