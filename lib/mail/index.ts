import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { config, type MailSettings } from '../config';
import { makeFolder, PRIVATE_FILE_MODE } from '../config/private-files';
import type { Locale } from '../domain/locale';
import type { MailText } from '../texts/mail-body';
import { byLocale, operatorRecipients } from './recipients';
import { outboxTransport, smtpTransport } from './transport';

export interface MailMessage {
  to: string | string[];
  subject: string;
  text: string;
}

export interface SentMail {
  messageId: string;
  /** the .eml file written by the embedded outbox; absent when sent by SMTP */
  file?: string;
}

/**
 * Writes a message where a reader never sees it half written: aside first, then renamed.
 * Mails carry links and names meant for their recipients only: the outbox is private.
 */
function writeToOutbox(outboxDir: string, message: Buffer): string {
  makeFolder(outboxDir, undefined, { narrow: true });
  // Time first so a listing sorts oldest first; random part so two mails in one millisecond differ.
  const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${crypto.randomBytes(4).toString('hex')}.eml`;
  const file = path.join(outboxDir, name);
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, message, { mode: PRIVATE_FILE_MODE });
  fs.renameSync(tmp, file);
  return file;
}

/**
 * Sends a plain-text mail: by SMTP when `MUTU_SMTP_URL` is set, else into the outbox folder
 * as an .eml file (the embedded default needs no mail server). Links in `text` must come
 * from `publicLink`, never from a request's Host header.
 */
export async function sendMail(message: MailMessage, settings: MailSettings = config().mail): Promise<SentMail> {
  const to = (Array.isArray(message.to) ? message.to : [message.to]).filter(Boolean);
  if (to.length === 0) throw new Error(`the mail "${message.subject}" has no recipient`);
  const envelope = { from: settings.from, to, subject: message.subject, text: message.text };
  if (settings.transport === 'smtp') {
    const transport = await smtpTransport(settings);
    try {
      const info = await transport.sendMail(envelope);
      return { messageId: info.messageId };
    } finally {
      transport.close();
    }
  }
  const info = await (await outboxTransport()).sendMail(envelope);
  const file = writeToOutbox(settings.outboxDir, info.message as Buffer);
  return { messageId: info.messageId, file };
}

export { publicLink } from './links';
export { operatorRecipients, type Recipient } from './recipients';

/**
 * Tells the admins and operators, each in their language: one mail per language, built by
 * `build`, to that language's recipients. A language whose mail fails does not stop the
 * others; the first failure is thrown once all were tried. Returns the mails sent.
 */
export async function mailOperators(build: (locale: Locale) => MailText): Promise<number> {
  let sent = 0;
  let failure: unknown;
  for (const { locale, to } of byLocale(await operatorRecipients())) {
    try {
      await sendMail({ to, ...build(locale) });
      sent++;
    } catch (err) {
      failure ??= err;
    }
  }
  if (failure !== undefined) throw failure;
  return sent;
}
