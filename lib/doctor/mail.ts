import type { MailSettings } from '../config';
import { PRIVATE_FOLDER_MODE } from '../config/private-files';
import { describeSmtpUrl, smtpTransport } from '../mail/transport';
import { errorText, fail, ok, type CheckResult } from './check';
import { probeWritable } from './folders';

const VERIFY_TIMEOUT_MS = 5000;

/** The outbox folder is writable (embedded default), or the SMTP server accepts a connection and login. */
export async function checkMail(mail: MailSettings): Promise<CheckResult> {
  const name = 'mail';
  if (mail.transport === 'outbox' || !mail.smtpUrl) {
    try {
      probeWritable(mail.outboxDir, PRIVATE_FOLDER_MODE);
      return ok(name, `messages are written to ${mail.outboxDir} (set MUTU_SMTP_URL to send them)`);
    } catch (err) {
      return fail(name, `the outbox ${mail.outboxDir} is not writable: ${errorText(err)}`);
    }
  }
  const where = describeSmtpUrl(mail.smtpUrl);
  const transport = await smtpTransport(mail);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      transport.verify(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${VERIFY_TIMEOUT_MS / 1000} s`)), VERIFY_TIMEOUT_MS);
      }),
    ]);
    return ok(name, `SMTP ${where} accepts connections, from ${mail.from}`);
  } catch (err) {
    const password = decodeURIComponent(new URL(mail.smtpUrl).password);
    const text = password ? errorText(err).split(password).join('***') : errorText(err);
    return fail(name, `SMTP ${where}: ${text}; check MUTU_SMTP_URL`);
  } finally {
    clearTimeout(timer);
    transport.close();
  }
}
