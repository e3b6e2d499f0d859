import { config } from '../config';
import { db } from '../db/client';

/** Who hears about the farm's events: every admin, plus the addresses in `MUTU_OPERATORS`. */
export async function operatorRecipients(): Promise<string[]> {
  const admins = await db.user.findMany({ where: { role: 'admin' }, select: { email: true }, orderBy: { email: 'asc' } });
  const all = [...admins.map((a) => a.email), ...config().mail.operators].map((e) => e.trim().toLowerCase());
  return [...new Set(all)].filter(Boolean);
}
