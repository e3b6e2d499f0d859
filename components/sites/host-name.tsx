import { hostForPeople } from '@/lib/domain/idn';

/** A host as people write it (`café.example.org`), with the punycode the farm uses on hover. */
export function HostName({ host }: { host: string }) {
  const shown = hostForPeople(host);
  if (shown === host) return <>{host}</>;
  return (
    <span title={host} data-host={host}>
      {shown}
    </span>
  );
}
