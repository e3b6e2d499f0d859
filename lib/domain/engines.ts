import type { DbEngine } from './db-names';
import { EngineError, type Translation } from './errors';
import { PROFILES, type Profile, type ProfileName } from './profiles';
import { engineLabel } from './server';
import { phrase, tell } from '../i18n/errors';

const profileOf = (name: string): Profile => PROFILES[name as ProfileName] ?? PROFILES.generic;

/** "MariaDB/MySQL or SQLite", in the reader's language. */
const orList = (items: string[]): string | Translation =>
  items.length > 1 ? phrase('serviceErrors.orList', { items: items.slice(0, -1).join(', '), last: items.at(-1)! }) : (items[0] ?? '');

export interface EngineRefusal {
  /** "SPIP cannot use PostgreSQL (SPIP 4 has no PostgreSQL driver)" */
  reason: string;
  /** "choose a MariaDB/MySQL or SQLite server" */
  advice: string;
  /** the reason, then the advice: what a request for a new site is told */
  message: string;
  /** the same as catalogue words, to say them in the reader's language (the English above is the command line's) */
  words: { reason: Translation; advice: Translation; message: Translation };
}

/**
 * Why an application (a platform's profile) cannot keep its database on an engine, or null
 * when it can. The one rule behind every refusal: creating or importing a site (the form,
 * the command line, /create), upgrading one, issuing an activation code, and the servers a
 * form offers. Refused before anything is made: such a site could never work.
 */
export function engineRefusal(profile: string, engine: string): EngineRefusal | null {
  const p = profileOf(profile);
  if (p.engines.includes(engine as DbEngine)) return null;
  const why = p.unsupportedEngines[engine as DbEngine];
  const values = { app: p.label, engine: engineLabel(engine) };
  const reason = why ? phrase('serviceErrors.engineCannotUseWhy', { ...values, why: phrase(why) }) : phrase('serviceErrors.engineCannotUse', values);
  const advice = phrase('serviceErrors.engineAdvice', { engines: orList(p.engines.map(engineLabel)) });
  const message = phrase('serviceErrors.engineRefused', { reason, advice });
  return { reason: tell('en', reason), advice: tell('en', advice), message: tell('en', message), words: { reason, advice, message } };
}

/** The refusal of a request for a site of this application on this engine; `message`: other words than the refusal's own. */
export function engineError(refusal: EngineRefusal, message: Translation = refusal.words.message): EngineError {
  const err = new EngineError(tell('en', message), refusal.reason, refusal.words.reason);
  err.translation = message;
  return err;
}

/**
 * Where a new site of this profile goes when nobody names a server: the default server (the
 * embedded SQLite when none is marked) when the application can use it, else the first
 * server of the engines it can use, in the profile's order (SPIP: MariaDB/MySQL, then the
 * embedded SQLite), by name. Null: none of the servers given (the active ones) suits it.
 */
export function serverForProfile<S extends { name: string; engine: string; isDefault: boolean }>(profile: string, servers: S[]): S | null {
  const p = profileOf(profile);
  const chosen = servers.find((s) => s.isDefault) ?? servers.find((s) => s.engine === 'sqlite');
  if (chosen && !engineRefusal(profile, chosen.engine)) return chosen;
  for (const engine of p.engines) {
    const first = servers.filter((s) => s.engine === engine).sort((a, b) => a.name.localeCompare(b.name))[0];
    if (first) return first;
  }
  return null;
}
