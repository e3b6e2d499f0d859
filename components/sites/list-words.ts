import { useLocale, useTranslations } from 'next-intl';
import { useMemo } from 'react';
import type { CertificateState } from '@/lib/domain/certificate-dates';
import { oncePerValue, template } from '@/lib/i18n/message-template';

/** The catalogue sections the list's rows take their words from (its test asks them too). */
export function useListTranslators() {
  return {
    t: useTranslations('sites.table'),
    disk: useTranslations('disk'),
    health: useTranslations('health'),
    status: useTranslations('status'),
    tls: useTranslations('site.tls'),
    ui: useTranslations('ui'),
  };
}

/**
 * Every word of the sites list's rows, made once for the list: translators once rather than one
 * per badge of every row, and each message formatted once then filled in per row
 * (lib/i18n/message-template.ts). The same texts as the site page's badges say.
 */
export function useListWords() {
  const { t, disk, health, status, tls, ui } = useListTranslators();
  const locale = useLocale();
  return useMemo(() => {
    const dbOn = { shared: template((name: string, server: string) => t('dbOn', { name, server, shared: 'yes' })), own: template((name: string, server: string) => t('dbOn', { name, server, shared: 'no' })) };
    return {
      locale,
      never: t('never'),
      visit: t('visit'),
      admin: t('admin'),
      upgradeAvailable: t('upgradeAvailable'),
      createdTitle: t('createdTitle'),
      lastUpgradeTitle: t('lastUpgradeTitle'),
      notMeasured: disk('notMeasured'),
      notChecked: health('notChecked'),
      visitTitle: template((url: string) => t('visitTitle', { url })),
      adminTitle: template((url: string) => t('adminTitle', { url })),
      dbOn: (name: string, server: string, shared: boolean) => (shared ? dbOn.shared : dbOn.own)(name, server),
      tlsSource: oncePerValue((acme: boolean) => t('tlsSource', { acme: acme ? 'yes' : 'no' })),
      tlsFailed: template((error: string) => t('tlsFailed', { error })),
      until: template((date: string) => t('until', { date })),
      measured: template((when: string, at: string) => disk('measured', { when, at })),
      checked: template((when: string, at: string) => health('checked', { when, at })),
      health: oncePerValue((label: 'up' | 'needsInstall' | 'error' | 'down') => health(label)),
      status: oncePerValue((value: string) => status('label', { status: value })),
      certificate: oncePerValue((state: CertificateState) => tls('state', { state })),
      selectSite: template((host: string) => ui('selectSite', { host })),
    };
  }, [t, disk, health, status, tls, ui, locale]);
}

export type ListWords = ReturnType<typeof useListWords>;
