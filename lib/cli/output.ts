import os from 'node:os';
import { InvalidArgumentError } from 'commander';
import { config } from '../config';
import { formatDateTime, formatRelative } from '../domain/format';
import { jsonText } from '../domain/json-text';
import { registryPlace } from '../config/registry-url';
import { ensureRegistry } from '../db/migrate';
import type { Actor } from '../domain/actor';

import { CliError } from './error';

export { CliError };

export const cliActor = (): Actor => ({ source: 'cli', ip: 'cli', email: `cli:${os.userInfo().username}` });

export function printJson(value: unknown): void {
  process.stdout.write(jsonText(value) + '\n');
}

/**
 * Prints a JSON array whose elements come as text, batch after batch (each batch the text
 * jsonElementsText gives of its elements), the same text as printJson of the whole array: a long
 * list starts at once and is never held whole in memory. Waits for a slow reader (a pipe).
 */
export async function printJsonArrayText(batches: AsyncIterable<string>): Promise<void> {
  let first = true;
  const write = (text: string) => (process.stdout.write(text) ? undefined : new Promise<void>((resolve) => process.stdout.once('drain', () => resolve())));
  for await (const text of batches) {
    if (!text) continue;
    await write((first ? '[\n' : ',\n') + text);
    first = false;
  }
  await write(first ? '[]\n' : '\n]\n');
}

/** Prints rows as aligned columns under their headers; an empty list says so. */
export function printTable(rows: Record<string, unknown>[], columns: string[], empty = 'Nothing to show.'): void {
  if (rows.length === 0) {
    console.log(empty);
    return;
  }
  const text = (v: unknown) => (v === null || v === undefined ? '-' : v instanceof Date ? v.toISOString() : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => text(r[c]).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  console.log(line(columns.map((c) => c.toUpperCase())));
  for (const r of rows) console.log(line(columns.map((c) => text(r[c]))));
}

/** Reads all of standard input (for passwords, which never go in argv). */
export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new CliError('expected the value on standard input (for example: printf %s "$PW" | mutu ...)', 2);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** A date for people reading a terminal: "2026-11-23 14:05 UTC, 3 min ago"; "-" when absent. */
export function humanDate(date: Date | string | null | undefined, now = new Date()): string {
  if (!date) return '-';
  const relative = formatRelative(date, now);
  // Older dates are shown as a date by formatRelative: no need to say it twice.
  return /^\d{4}-/.test(relative) ? formatDateTime(date) : `${formatDateTime(date)}, ${relative}`;
}

/** Parses a whole number option for commander; a bad value is a usage error (exit 2). */
export function positiveInteger(max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < 1 || n > max) throw new InvalidArgumentError(`expected a whole number from 1 to ${max}`);
    return n;
  };
}

/**
 * Every command that opens the registry runs this first: on a fresh data folder it creates
 * and migrates the registry as `mutu start` does (so a script's first `mutu sites create`
 * works), and migrates one behind this code base; said on stderr, so --json output stays clean.
 */
export async function requireRegistry(): Promise<void> {
  const cfg = config();
  const made = await ensureRegistry(cfg);
  if (made !== 'ready') console.error(`mutu: ${made} the registry ${registryPlace(cfg.registryUrl)} (as \`mutu start\` does)`);
}
