'use client';

import { useState } from 'react';
import { createSiteAction } from '@/app/(admin)/sites/actions';
import { Button, ButtonLink } from '@/components/ui/button';
import { Field, FormMessage, Input, Select } from '@/components/ui/form';
import { useFormAction } from '@/components/ui/use-form-action';

export interface PlatformChoice {
  name: string;
  label: string;
  /** servers its application cannot use, with why */
  refused: Record<string, string>;
  /** the server a site of it gets when none is chosen */
  server: string;
}

export interface ServerChoice {
  name: string;
  label: string;
  engine: string;
}

/** The admin's form for a new site; success leaves for the job page, where the provisioning runs live. */
export function NewSiteForm({ platforms, defaultPlatform, servers, defaultServer }: {
  platforms: PlatformChoice[];
  defaultPlatform: string;
  servers: ServerChoice[];
  defaultServer: string;
}) {
  const { state, pending, form, onSubmit } = useFormAction(createSiteAction, { keepOnSuccess: true });
  const [platform, setPlatform] = useState(defaultPlatform);
  const [server, setServer] = useState(defaultServer);
  const [shared, setShared] = useState(false);
  const embedded = servers.find((s) => s.name === server)?.engine === 'sqlite';
  const refused = platforms.find((p) => p.name === platform)?.refused ?? {};
  const chooseServer = (name: string) => {
    setServer(name);
    if (servers.find((s) => s.name === name)?.engine === 'sqlite') setShared(false);
  };

  return (
    <form
      aria-label="New site"
      ref={form}
      onSubmit={onSubmit}
      className="space-y-5"
    >
      <Field label="Host" htmlFor="site-host" hint="The site's address, without http:// — www. becomes an alias that redirects to it." error={state?.fields?.host}>
        <Input id="site-host" name="host" required autoComplete="off" spellCheck={false} placeholder="blog.example.org" autoFocus aria-invalid={!!state?.fields?.host} />
      </Field>
      <div className="grid gap-5 sm:grid-cols-2">
        <Field label="Platform" htmlFor="site-platform" hint="The installed code release the site runs on." error={state?.fields?.platform}>
          <Select
            id="site-platform"
            name="platform"
            value={platform}
            onChange={(e) => {
              setPlatform(e.target.value);
              // The server follows the platform when its application cannot use the one chosen.
              const next = platforms.find((p) => p.name === e.target.value);
              if (next?.refused[server] && next.server) chooseServer(next.server);
            }}
          >
            {platforms.length === 0 && <option value="">default (generic)</option>}
            {platforms.map((p) => (
              <option key={p.name} value={p.name}>
                {p.label}
              </option>
            ))}
          </Select>
        </Field>
        <Field
          label="Database server"
          htmlFor="site-server"
          hint={[...new Set(Object.values(refused))].map((why) => `${why}.`).join(' ') || "Where the site's database and its own user are created."}
          error={state?.fields?.server}
        >
          <Select id="site-server" name="server" value={server} onChange={(e) => chooseServer(e.target.value)}>
            {servers.map((s) => (
              <option key={s.name} value={s.name} disabled={!!refused[s.name]} title={refused[s.name]}>
                {refused[s.name] ? `${s.label} — not for this platform` : s.label}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <div className="flex items-start gap-2">
        <input
          id="site-shared"
          name="sharedDb"
          type="checkbox"
          checked={shared}
          disabled={embedded}
          onChange={(e) => setShared(e.target.checked)}
          className="mt-0.5 size-4 rounded border-slate-300 text-indigo-600 focus:ring-indigo-600 disabled:opacity-50"
        />
        <label htmlFor="site-shared" className="text-sm">
          <span className={embedded ? 'font-medium text-slate-400' : 'font-medium text-slate-700'}>Shared database (SPIP mode)</span>
          <span className="block text-xs text-slate-500">
            {embedded
              ? 'The embedded SQLite keeps one file per site: choose a MariaDB/MySQL or PostgreSQL server for this.'
              : "The site's tables go into the server's shared database under their own prefix, instead of a database of its own."}
          </span>
          {state?.fields?.sharedDb && <span className="block text-xs text-red-600">{state.fields.sharedDb}</span>}
        </label>
      </div>
      <Field label="Webmaster e-mail" htmlFor="site-webmaster" hint="Optional. A new address gets a webmaster account; an admin sets its password on the Users page." error={state?.fields?.webmaster}>
        <Input id="site-webmaster" name="webmaster" type="email" autoComplete="off" placeholder="someone@example.org" />
      </Field>
      <FormMessage state={state} />
      <div className="flex items-center gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? 'Creating…' : 'Create site'}
        </Button>
        <ButtonLink href="/sites" variant="ghost">
          Cancel
        </ButtonLink>
      </div>
    </form>
  );
}
