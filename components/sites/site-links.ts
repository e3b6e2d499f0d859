// The links of a site live with the domain rules (lib/domain/site-urls.ts): mails and jobs build them too.
export { adminUrl, sitePageHref, visitUrl } from '@/lib/domain/site-urls';
