import path from 'node:path';
import { db } from '../db/client';
import { recordAudit } from '../audit/record';
import type { Actor } from '../domain/actor';
import { renderPage } from '../domain/front';
import { writeFileAtomic } from '../farm/files';
import { MAINTENANCE_TEXT_KEY } from './files';
import { frontIsSetUp, frontLayout } from './settings';

export const MAX_MAINTENANCE_TEXT = 2000;

export async function maintenanceText(): Promise<string | null> {
  return (await db.setting.findUnique({ where: { key: MAINTENANCE_TEXT_KEY } }))?.value ?? null;
}

/**
 * The text a disabled site's visitors read (503). nginx reads the page at each request:
 * writing it is enough, nothing is reloaded. An empty text brings back the default one.
 */
export async function setMaintenanceText(actor: Actor, text: string): Promise<void> {
  const value = text.trim().slice(0, MAX_MAINTENANCE_TEXT);
  if (value) await db.setting.upsert({ where: { key: MAINTENANCE_TEXT_KEY }, create: { key: MAINTENANCE_TEXT_KEY, value }, update: { value } });
  else await db.setting.deleteMany({ where: { key: MAINTENANCE_TEXT_KEY } });
  if (frontIsSetUp()) writeFileAtomic(path.join(frontLayout().nginxDir, 'pages', '503.html'), renderPage('503', value), 0o644);
  await recordAudit(actor, { action: 'front.maintenance-text', details: { length: value.length } });
}
