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
