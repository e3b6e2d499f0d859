import { useTranslations } from 'next-intl';

/**
 * An audit action in words (the raw action stays beside it, for filtering), or its raw name when
 * the catalogues have none yet. Catalogue keys cannot hold dots: `site.alias.add` is `site_alias_add`.
 */
export function useActionText() {
  const t = useTranslations('audit.actions');
  return (action: string) => {
    const key = action.replaceAll('.', '_') as Parameters<typeof t>[0];
    return t.has(key) ? t(key) : action;
  };
}
