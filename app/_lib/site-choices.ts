import { engineRefusal, serverForProfile } from '@/lib/domain/engines';
import { engineLabel } from '@/lib/domain/server';

/** A platform as a form's choice: "spip-4.3 (spip 4.3.2) — default". */
export const platformChoice = (p: { name: string; profile: string; version: string | null; isDefault?: boolean }) => ({
  name: p.name,
  label: `${p.name} (${p.profile}${p.version ? ` ${p.version}` : ''})${p.isDefault ? ' — default' : ''}`,
});

/** A database server as a form's choice: "maria1 (MariaDB/MySQL) — default". */
export const serverChoice = (s: { name: string; engine: string; isDefault?: boolean }) => ({
  name: s.name,
  engine: s.engine,
  label: `${s.name} (${engineLabel(s.engine)})${s.isDefault ? ' — default' : ''}`,
});

type ServerRow = { name: string; engine: string; isDefault: boolean };

/**
 * A platform as the new-site form's choice, with what its application makes of each server:
 * the ones it cannot use and why (offered, but not selectable), and the one a site of it gets
 * when none is named (lib/domain/engines.ts, the rule the request applies).
 */
export const platformWithServers = (p: { name: string; profile: string; version: string | null; isDefault?: boolean }, servers: ServerRow[]) => ({
  ...platformChoice(p),
  refused: Object.fromEntries(servers.flatMap((s) => {
    const refusal = engineRefusal(p.profile, s.engine);
    return refusal ? [[s.name, refusal.reason]] : [];
  })) as Record<string, string>,
  server: serverForProfile(p.profile, servers)?.name ?? '',
});
