import type { Transporter } from 'nodemailer';
import type { MailSettings } from '../config';

/** Mail server timeouts: a slow or absent server must not hold a job or a page for long. */
const SMTP_TIMEOUT_MS = 5000;

/** The SMTP transport for `MUTU_SMTP_URL`. nodemailer is loaded on first mail, not at every start. */
export async function smtpTransport(settings: MailSettings): Promise<Transporter> {
  if (!settings.smtpUrl) throw new Error('no SMTP server is configured (set MUTU_SMTP_URL)');
  const [{ default: nodemailer }, { default: SMTPTransport }] = await Promise.all([import('nodemailer'), import('nodemailer/lib/smtp-transport/index.js')]);
  // Built from the transport class, not createTransport(url), so the URL (with its query
  // options such as ?tls.rejectUnauthorized=false) and our timeouts both apply.
  return nodemailer.createTransport(
    new SMTPTransport({
      url: settings.smtpUrl,
      connectionTimeout: SMTP_TIMEOUT_MS,
      greetingTimeout: SMTP_TIMEOUT_MS,
      socketTimeout: SMTP_TIMEOUT_MS * 2,
    }),
  );
}

let outbox: Promise<Transporter> | undefined;

/**
 * The embedded default: builds each message in memory; the caller writes it to the outbox.
 * One for the process (it holds no connection, no setting of the farm's): every site made
 * sends the admins a mail, and making a transport each time cost more than the message.
 */
export function outboxTransport(): Promise<Transporter> {
  outbox ??= import('nodemailer').then(({ default: nodemailer }) => nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' }));
  // A failed load is not kept: the next mail tries again.
  outbox.catch(() => (outbox = undefined));
  return outbox;
}

/** "smtp://mail.example.org:587" without user or password, for messages and logs. */
export function describeSmtpUrl(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  return `${url.protocol}//${url.hostname}${url.port ? `:${url.port}` : ''}${url.username ? ' (with login)' : ''}`;
}
