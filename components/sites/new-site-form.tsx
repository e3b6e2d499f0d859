'use client';

import { useState } from 'react';
import { createSiteAction } from '@/app/(admin)/sites/actions';
import { Button, ButtonLink } from '@/components/ui/button';
import { Field, FormMessage, Input, Select } from '@/components/ui/form';
import { useFormAction } from '@/components/ui/use-form-action';
import { useTranslations } from 'next-intl';

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
export function NewSiteForm({ platforms, defaultPlatform, servers, defaultServer, nodes = [] }: {
  platforms: PlatformChoice[];
  defaultPlatform: string;
  servers: ServerChoice[];
  defaultServer: string;
  /** the farm's nodes: a choice only when there are several */
  nodes?: string[];
}) {
  const t = useTranslations('newSite');
  const tNode = useTranslations('nodes.form');
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
      aria-label={t('title')}
      ref={form}
      onSubmit={onSubmit}
      className="space-y-5"
    >
      <Field label={t('host')} htmlFor="site-host" hint={t('hostHint')} error={state?.fields?.host}>
        <Input id="site-host" name="host" required autoComplete="off" spellCheck={false} placeholder="blog.example.org" autoFocus aria-invalid={!!state?.fields?.host} />
      </Field>
      <div className="grid gap-5 sm:grid-cols-2">
        <Field label={t('platform')} htmlFor="site-platform" hint={t('platformHint')} error={state?.fields?.platform}>
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
            {platforms.length === 0 && <option value="">{t('defaultGeneric')}</option>}
            {platforms.length > 0 && !defaultPlatform && <option value="" disabled>{t('choosePlatform')}</option>}
            {platforms.map((p) => (
              <option key={p.name} value={p.name}>
                {p.label}
              </option>
            ))}
          </Select>
        </Field>
        <Field
          label={t('server')}
          htmlFor="site-server"
          hint={[...new Set(Object.values(refused))].map((why) => `${why}.`).join(' ') || t('serverHint')}
          error={state?.fields?.server}
        >
          <Select id="site-server" name="server" value={server} onChange={(e) => chooseServer(e.target.value)}>
            {servers.map((s) => (
              <option key={s.name} value={s.name} disabled={!!refused[s.name]} title={refused[s.name]}>
                {refused[s.name] ? t('notForPlatform', { server: s.label }) : s.label}
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
          <span className={embedded ? 'font-medium text-slate-400' : 'font-medium text-slate-700'}>{t('shared')}</span>
          <span className="block text-xs text-slate-500">
            {embedded
              ? t('sharedEmbedded')
              : t('sharedHint')}
          </span>
          {state?.fields?.sharedDb && <span className="block text-xs text-red-600">{state.fields.sharedDb}</span>}
        </label>
      </div>
      <Field label={t('webmaster')} htmlFor="site-webmaster" hint={t('webmasterHint')} error={state?.fields?.webmaster}>
        <Input id="site-webmaster" name="webmaster" type="email" autoComplete="off" placeholder="someone@example.org" />
      </Field>
      {nodes.length > 1 && (
        <Field label={tNode('label')} htmlFor="site-node" hint={tNode('hint')}>
          <Select id="site-node" name="node" defaultValue="">
            <option value="">{tNode('any')}</option>
            {nodes.map((n) => (
              <option key={n} value={n}>{n}</option>
            ))}
          </Select>
        </Field>
      )}
      <FormMessage state={state} />
      <div className="flex items-center gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? t('creating') : t('create')}
        </Button>
        <ButtonLink href="/sites" variant="ghost">
          {t('cancel')}
        </ButtonLink>
      </div>
    </form>
  );
}
