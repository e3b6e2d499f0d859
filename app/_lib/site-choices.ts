import { engineLabel } from '@/lib/domain/server';

/** A platform as a form's choice: "spip-4.3 (spip 4.3.2) — default", "spip-4.1 (spip 4.1.15) — past its end of life". */
export const platformChoice = (p: { name: string; profile: string; version: string | null; isDefault?: boolean; pastEol?: boolean }) => ({
  name: p.name,
  label: `${p.name} (${p.profile}${p.version ? ` ${p.version}` : ''})${p.isDefault ? ' — default' : ''}${p.pastEol ? ' — past its end of life' : ''}`,
});

/** A database server as a form's choice: "maria1 (MariaDB/MySQL) — default". */
export const serverChoice = (s: { name: string; engine: string; isDefault?: boolean }) => ({
  name: s.name,
  engine: s.engine,
  label: `${s.name} (${engineLabel(s.engine)})${s.isDefault ? ' — default' : ''}`,
});
