import { Option, type Command } from 'commander';
import { UserError, createUser, deleteUser, listUsers, setPassword, setRole } from '../../users/service';
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
    .action(async (opts: { email: string; role: 'admin' | 'webmaster'; name?: string; passwordStdin?: boolean }) => {
      const password = await passwordFromStdin(opts.passwordStdin);
      const { user, generatedPassword } = await asCliErrors(() =>
        createUser(cliActor(), { email: opts.email, role: opts.role, name: opts.name, password }),
      );
      console.log(`Created ${user.role} ${user.email}.`);
      showGenerated(user.email, generatedPassword);
    });

  users
    .command('list')
    .description('list the users with their role and number of sites')
    .option('--json', 'print the list as JSON')
    .action(async (opts: { json?: boolean }) => {
      const rows = await listUsers();
      if (opts.json) return printJson(rows);
      printTable(
        rows.map((u) => ({
          email: u.email,
          name: u.name,
          role: u.role,
          sites: u.sites,
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
