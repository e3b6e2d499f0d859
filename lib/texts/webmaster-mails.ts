/**
 * Every mail a webmaster gets, in words: subjects and bodies as whole texts with their values
 * passed in, so each moves into a translation catalogue as one message. Free of I/O: the
 * senders (lib/sites/welcome.ts, lib/sites/webmaster-notify.ts, lib/users/password-links.ts)
 * build the links and send.
 */

export interface MailText {
  subject: string;
  text: string;
}

/** Lines joined, at most one empty line in a row, ending with a newline. */
function body(lines: (string | false | undefined)[]): string {
  const kept = lines.filter((l): l is string => typeof l === 'string');
  return kept.filter((l, i) => l !== '' || (i > 0 && kept[i - 1] !== '')).join('\n').trim() + '\n';
}

export interface WelcomeMailInput {
  email: string;
  host: string;
  siteUrl: string;
  /** the application's admin area (SPIP /ecrire/, Moodle /admin/) */
  adminUrl: string;
  /** SPIP, Moodle, Generic PHP */
  application: string;
  /** who made them a webmaster, when a person did */
  by?: string;
  /** the application's own single-use link to choose its admin password (SPIP's) */
  applicationLink?: string;
  /** they chose their password themselves (on /create): the same one opens the admin area */
  choseOwnPassword?: boolean;
  /** the new site has no install command: its application's installer is theirs to run */
  installerPending?: boolean;
  /** Mutu's single-use link to choose their Mutu password, for an account never used yet */
  accountLink?: string;
  linkHours: number;
  loginUrl: string;
  forgotUrl: string;
  mySitesUrl: string;
}

export function welcomeMail(m: WelcomeMailInput): MailText {
  return {
    subject: `[Mutu] You look after ${m.host}`,
    text: body([
      'Hello,',
      '',
      m.by ? `You are now a webmaster of the site ${m.host} (added by ${m.by}).` : `You are now the webmaster of the site ${m.host}.`,
      '',
      `The site: ${m.siteUrl}`,
      `Its admin area (${m.application}): ${m.adminUrl}`,
      '',
      m.installerPending && `The application is not installed yet: open ${m.siteUrl} to run its installer.`,
      m.applicationLink && 'Choose your password for its admin area with this link (it works once):',
      m.applicationLink,
      m.applicationLink && `Then sign in there with your e-mail address (${m.email}).`,
      m.choseOwnPassword && !m.installerPending && `Sign in there with your e-mail address (${m.email}) and the password you chose.`,
      '',
      'In Mutu you find your sites, their disk use and health, and you download their data (exports and backups):',
      m.accountLink && `choose your Mutu password with this link. It works once, within ${m.linkHours} hours:`,
      m.accountLink,
      !m.accountLink && m.choseOwnPassword && `sign in at ${m.loginUrl} with ${m.email} and the password you chose.`,
      !m.accountLink && !m.choseOwnPassword && `sign in at ${m.loginUrl} with ${m.email}. Forgot your password? ${m.forgotUrl}`,
      '',
      `Your sites: ${m.mySitesUrl}`,
    ]),
  };
}

export function passwordResetMail(m: { email: string; link: string; linkHours: number; forgotUrl: string }): MailText {
  return {
    subject: '[Mutu] Choose a new password',
    text: body([
      'Hello,',
      '',
      `Someone, probably you, asked for a new password for the Mutu account ${m.email}.`,
      `Choose it with this link. It works once, within ${m.linkHours} hours:`,
      m.link,
      '',
      'If you did not ask for it, ignore this mail: your password stays as it is.',
      `A link that no longer works? Ask for another one: ${m.forgotUrl}`,
    ]),
  };
}

export function exportReadyMail(m: { host: string; mySitesUrl: string; expires: string; files: { name: string; size: string }[] }): MailText {
  return {
    subject: `[Mutu] Your export of ${m.host} is ready`,
    text: body([
      'Hello,',
      '',
      `The export of ${m.host} you asked for is ready:`,
      ...m.files.map((f) => `  - ${f.name} (${f.size})`),
      '',
      `Download it from your sites, signed in: ${m.mySitesUrl}`,
      `Its files are kept until ${m.expires}.`,
    ]),
  };
}

export function exportFailedMail(m: { host: string; mySitesUrl: string }): MailText {
  return {
    subject: `[Mutu] Your export of ${m.host} failed`,
    text: body([
      'Hello,',
      '',
      `The export of ${m.host} you asked for could not be made; nothing of it was kept. The admins can see why.`,
      `Try again from your sites: ${m.mySitesUrl}`,
    ]),
  };
}

export type SiteChange =
  | { kind: 'upgraded'; from: string; to: string }
  | { kind: 'upgrade-rolled-back'; from: string; to: string }
  | { kind: 'upgrade-stuck'; to: string }
  | { kind: 'undone'; to: string }
  | { kind: 'disabled' }
  | { kind: 'enabled' };

const CHANGE_SUBJECTS: { [K in SiteChange['kind']]: (host: string) => string } = {
  upgraded: (h) => `[Mutu] ${h} was upgraded`,
  'upgrade-rolled-back': (h) => `[Mutu] The upgrade of ${h} failed and was undone`,
  'upgrade-stuck': (h) => `[Mutu] The upgrade of ${h} failed`,
  undone: (h) => `[Mutu] ${h} was put back to an earlier version`,
  disabled: (h) => `[Mutu] ${h} was disabled`,
  enabled: (h) => `[Mutu] ${h} is enabled again`,
};

function changeLines(host: string, change: SiteChange): string[] {
  switch (change.kind) {
    case 'upgraded':
      return [`Your site ${host} was upgraded from ${change.from} to ${change.to}.`, 'Check that it works as you expect; the admins can put it back as it was for a while.'];
    case 'upgrade-rolled-back':
      return [`An upgrade of your site ${host} from ${change.from} to ${change.to} failed. It was undone: the site works as before, on ${change.from}.`];
    case 'upgrade-stuck':
      return [`An upgrade of your site ${host} to ${change.to} failed, and putting it back did not finish. The admins were told and will put it back.`];
    case 'undone':
      return [`Your site ${host} was put back as it was before its last upgrade, on ${change.to}.`];
    case 'disabled':
      return [`Your site ${host} was disabled: visitors see a maintenance page. Its files and database are kept.`];
    case 'enabled':
      return [`Your site ${host} is enabled again: visitors see it as before.`];
  }
}

export function siteChangeMail(m: { host: string; change: SiteChange; by?: string; siteUrl: string; mySitesUrl: string }): MailText {
  return {
    subject: CHANGE_SUBJECTS[m.change.kind](m.host),
    text: body([
      'Hello,',
      '',
      ...changeLines(m.host, m.change),
      m.by && `Done by: ${m.by}.`,
      '',
      `The site: ${m.siteUrl}`,
      `Your sites: ${m.mySitesUrl}`,
    ]),
  };
}
