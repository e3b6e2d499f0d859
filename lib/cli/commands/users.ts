import { Option, type Command } from 'commander';
import { UserError, createUser, deleteUser, listUsers, setPassword, setRole } from '../../users/service';
import { addWebmaster, removeWebmaster } from '../../sites/webmasters';
import { passwordSchema } from '../../domain/user';
import { CliError, cliActor, humanDate, printJson, printTable, readStdin, requireRegistry } from '../output';

/** The service's refusals (unknown e-mail, last admin, duplicate) are the user's to fix. */
async function asCliErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof UserError) throw new CliError(err.message);
    throw err;
  }
}

async function passwordFromStdin(wanted: boolean | undefined): Promise<string | undefined> {
  if (!wanted) return undefined;
  const password = await readStdin();
  if (!password) throw new CliError('standard input was empty: pipe the password in, or leave out --password-stdin to generate one', 2);
  const checked = passwordSchema.safeParse(password);
  if (!checked.success) throw new CliError(`the password on standard input is too weak: ${checked.error.issues[0]?.message}`, 2);
  return password;
}

/** What `--site` did: the link, and whether the welcome mail went. */
export function reportWebmasterAdded(r: Awaited<ReturnType<typeof addWebmaster>>) {
  console.log(`${r.user.email} is now a webmaster of ${r.site.host}${r.newAccount ? ' (a new webmaster account)' : ''}.`);
  if (r.mailError) console.error(`mutu: the welcome mail to ${r.user.email} failed (${r.mailError}); they can use "Forgot password?" on the login page`);
  else console.log(`A welcome mail went to ${r.user.email}, with the site's addresses${r.user.lastLoginAt ? '' : ' and a link to choose their password'}.`);
}

function showGenerated(email: string, password: string | undefined) {
  if (!password) return;
  console.log(`Password: ${password}`);
  console.log(`(shown only this once; change it with \`mutu users passwd --email ${email}\`)`);
}

export function defineUsers(users: Command): void {
  users.hook('preAction', requireRegistry);

  users
    .command('create')
    .description('create a user; a strong password is generated and shown once unless given on standard input')
    .requiredOption('--email <email>', 'the e-mail address the user signs in with')
    .addOption(new Option('--role <role>', 'what the user may do').choices(['admin', 'webmaster']).default('webmaster'))
    .option('--name <name>', 'the name shown in the dashboard')
    .option('--password-stdin', 'read the password from standard input (never give it as an argument)')
    .option('--site <host>', 'make them a webmaster of this site at once (they get its welcome mail)')
    .action(async (opts: { email: string; role: 'admin' | 'webmaster'; name?: string; passwordStdin?: boolean; site?: string }) => {
      const password = await passwordFromStdin(opts.passwordStdin);
      const { user, generatedPassword } = await asCliErrors(() =>
        createUser(cliActor(), { email: opts.email, role: opts.role, name: opts.name, password }),
      );
      console.log(`Created ${user.role} ${user.email}.`);
      showGenerated(user.email, generatedPassword);
      if (opts.site) reportWebmasterAdded(await addWebmaster(cliActor(), opts.site, user.email));
    });

  users
    .command('attach')
    .description("make someone a webmaster of a site (a webmaster account is made for a new address); they get the site's welcome mail")
    .requiredOption('--email <email>', "the person's e-mail address")
    .requiredOption('--site <host>', 'the site')
    .action(async (opts: { email: string; site: string }) => {
      reportWebmasterAdded(await addWebmaster(cliActor(), opts.site, opts.email));
    });

  users
    .command('detach')
    .description('take a site away from one of its webmasters (their account stays)')
    .requiredOption('--email <email>', "the webmaster's e-mail address")
    .requiredOption('--site <host>', 'the site')
    .action(async (opts: { email: string; site: string }) => {
      const r = await removeWebmaster(cliActor(), opts.site, opts.email);
      console.log(`${r.email} is no longer a webmaster of ${r.site.host}.`);
    });

  users
    .command('list')
    .description('list the users with their role and the sites they look after')
    .option('--json', 'print the list as JSON')
    .action(async (opts: { json?: boolean }) => {
      const rows = await listUsers();
      if (opts.json) return printJson(rows);
      printTable(
        rows.map((u) => ({
          email: u.email,
          name: u.name,
          role: u.role,
          sites: u.siteHosts.length > 3 ? `${u.siteHosts.slice(0, 3).join(', ')} (+${u.siteHosts.length - 3})` : u.siteHosts.join(', ') || '-',
          created: humanDate(u.createdAt),
          'last login': u.lastLoginAt ? humanDate(u.lastLoginAt) : 'never',
        })),
        ['email', 'name', 'role', 'sites', 'created', 'last login'],
        'No users yet: create one with `mutu users create --email E --role admin`.',
      );
    });

  users
    .command('passwd')
    .description("set a user's password: generated and shown once, or read from standard input")
    .requiredOption('--email <email>', "the user's e-mail address")
    .option('--password-stdin', 'read the new password from standard input (never give it as an argument)')
    .action(async (opts: { email: string; passwordStdin?: boolean }) => {
      const password = await passwordFromStdin(opts.passwordStdin);
      const { user, generatedPassword } = await asCliErrors(() => setPassword(cliActor(), opts.email, password));
      console.log(`Password changed for ${user.email}; their sessions have ended.`);
      showGenerated(user.email, generatedPassword);
    });

  users
    .command('role')
    .description("give a user another role (never the last admin's); the user's sessions end and they sign in again")
    .requiredOption('--email <email>', "the user's e-mail address")
    .addOption(new Option('--role <role>', 'the new role').choices(['admin', 'webmaster']).makeOptionMandatory())
    .action(async (opts: { email: string; role: 'admin' | 'webmaster' }) => {
      const { user, changed } = await asCliErrors(() => setRole(cliActor(), opts.email, opts.role));
      console.log(changed ? `${user.email} is now ${user.role}; their sessions have ended.` : `${user.email} is already ${user.role}: nothing changed.`);
    });

  users
    .command('delete')
    .description('delete a user (their sites stay; the last admin cannot be deleted)')
    .requiredOption('--email <email>', "the user's e-mail address")
    .option('--yes', 'confirm the deletion')
    .action(async (opts: { email: string; yes?: boolean }) => {
      if (!opts.yes) throw new CliError(`deleting ${opts.email} cannot be undone: add --yes to confirm`, 2);
      const user = await asCliErrors(() => deleteUser(cliActor(), opts.email));
      console.log(`Deleted ${user.role} ${user.email}.`);
    });
}
