import { sendMail } from '../mail';

/**
 * The webmaster's way into a site whose application made them its first administrator:
 * the application's own single-use link to choose a password (never a password in a mail).
 */
export async function mailChoosePassword(to: string, host: string, link: string, adminPath: string): Promise<void> {
  await sendMail({
    to,
    subject: `[Mutu] Your site ${host} is ready`,
    text: [
      `Your site ${host} is ready, and you are its administrator.`,
      '',
      `Choose your password for its admin area here (the link works once):`,
      link,
      '',
      `Then sign in at http://${host}${adminPath} with your e-mail address (${to}).`,
      '',
    ].join('\n'),
  });
}
