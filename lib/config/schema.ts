import * as z from 'zod';

const octalMode = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine((v) => /^0?[0-7]{3}$/.test(v), 'an octal file mode such as 0750')
    .transform((v) => parseInt(v, 8));

// One message for every way a number can be wrong (not a number, a fraction, out of range).
const integerIn = (min: number, max: number, fallback: number, what = `a whole number from ${min} to ${max}`) =>
  z.coerce.number({ error: what }).int(what).min(min, what).max(max, what).default(fallback);

const positiveInt = (fallback: number, max: number) => integerIn(1, max, fallback);

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''], 'true or false')
  .default('false')
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const emailList = z
  .string()
  .default('')
  .transform((v) => v.split(/[,\s]+/).filter(Boolean))
  .pipe(z.array(z.email('a comma-separated list of e-mail addresses')));

/**
 * Every setting Mutu reads from its environment. Keys are the variable names, so a failed
 * check names exactly the variable to fix.
 */
export const envSchema = z.object({
  MUTU_DATA_DIR: z.string().min(1).default('var'),
  MUTU_ROOT: z.string().min(1).optional(),
  MUTU_REGISTRY_URL: z
    .string()
    .refine((v) => /^(file:|postgres(ql)?:\/\/)/i.test(v), 'a SQLite file URL such as file:/srv/mutu/mutu.db, or a PostgreSQL URL such as postgresql://mutu@db1:5432/mutu')
    .optional(),
  MUTU_SECRET_KEY: z
    .string()
    .refine(
      (v) => /^[0-9a-f]{64}$/i.test(v) || /^[A-Za-z0-9+/]{43}=?$/.test(v),
      '32 random bytes as 64 hex digits or base64 (openssl rand -hex 32)',
    )
    .optional(),
  MUTU_PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'an http(s) URL such as https://mutu.example.org' })
    .optional(), // default: http://localhost:<PORT>
  PORT: integerIn(1, 65535, 3000, 'a TCP port number from 1 to 65535'),
  MUTU_HOSTNAME: z.string().min(1).default('0.0.0.0'),
  MUTU_TRUST_PROXY: booleanFlag,
  MUTU_SMTP_URL: z
    .url({ protocol: /^smtps?$/, error: 'an SMTP URL such as smtp://user:pass@mail.example.org:587' })
    .optional(),
  MUTU_MAIL_FROM: z.email('an e-mail address such as mutu@example.org').default('mutu@localhost'),
  MUTU_OPERATORS: emailList,
  MUTU_ADMIN_EMAIL: z.email('the first admin\'s e-mail address').optional(),
  MUTU_ADMIN_PASSWORD: z.string().min(12, 'at least 12 characters').optional(),
  MUTU_WORKER_CONCURRENCY: positiveInt(2, 64),
  MUTU_JOB_LEASE_SECONDS: positiveInt(30, 3600),
  MUTU_TRASH_DAYS: integerIn(1, 3650, 30),
  MUTU_SNAPSHOT_DAYS: integerIn(1, 3650, 14),
  MUTU_UPGRADE_TIMEOUT_SECONDS: integerIn(1, 86_400, 600),
  MUTU_EXPORT_DAYS: integerIn(1, 365, 7),
  MUTU_BACKUP_KEEP: integerIn(0, 365, 0),
  MUTU_IMPORT_MAX_GB: integerIn(1, 1_000_000, 50),
  MUTU_IMPORT_MAX_ENTRIES: integerIn(1, 100_000_000, 1_000_000),
  MUTU_HEALTH_FRONT: z
    .string()
    .regex(/^(\[[0-9a-f:]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/, 'host:port of the front web server, such as 127.0.0.1:80')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  MUTU_HEALTH_SCHEME: z.enum(['http', 'https'], 'http or https').default('http'),
  MUTU_HEALTH_TIMEOUT_SECONDS: integerIn(1, 120, 10),
  MUTU_FRONT_NGINX_DIR: z.string().startsWith('/', 'an absolute folder').default('/etc/nginx/mutu'),
  MUTU_FRONT_NGINX_CONF: z.string().startsWith('/', 'an absolute file').default('/etc/nginx/nginx.conf'),
  MUTU_FRONT_NGINX_INCLUDE: z.string().default('/etc/nginx/conf.d/mutu.conf'),
  MUTU_FRONT_PHP_DIR: z
    .string()
    .refine((v) => v.startsWith('/') && v.includes('{version}'), 'an absolute folder with {version}, such as /etc/php/{version}/fpm')
    .default('/etc/php/{version}/fpm'),
  MUTU_FRONT_PHP_GROUPS: integerIn(1, 999, 1),
  MUTU_FRONT_LOOKUP: z.enum(['auto', 'files', 'map'], 'auto, files or map').default('auto'),
  MUTU_FRONT_SYSTEMD_DIR: z.string().startsWith('/', 'an absolute folder').default('/etc/systemd/system'),
  MUTU_FRONT_LISTEN: z
    .string()
    .default('80')
    .transform((v) => v.split(/[,\s]+/).filter(Boolean)),
  MUTU_FRONT_LISTEN_TLS: z
    .string()
    .default('443')
    .transform((v) => v.split(/[,\s]+/).filter(Boolean)),
  MUTU_ACME_DIRECTORY: z
    .url({ protocol: /^https?$/, error: "an ACME directory URL such as https://acme-v02.api.letsencrypt.org/directory" })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  MUTU_ACME_EMAIL: z.email('the e-mail address the ACME CA writes to about the farm\'s certificates').optional().or(z.literal('').transform(() => undefined)),
  MUTU_ACME_CA_FILE: z.string().startsWith('/', 'an absolute PEM file').optional().or(z.literal('').transform(() => undefined)),
  MUTU_FRONT_RUN_DIR: z.string().startsWith('/', 'an absolute folder').default('/run/mutu'),
  MUTU_FRONT_WEB_USER: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'the Unix user nginx runs as, such as www-data').default('www-data'),
  MUTU_FOLDER_MODE: octalMode('0750'),
  MUTU_SECRET_FILE_MODE: octalMode('0640'),
});

export type Env = z.infer<typeof envSchema>;
