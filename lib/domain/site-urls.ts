/** Where a site answers: its own host over plain HTTP (the farm's front redirects to HTTPS where it has a certificate). */
export const visitUrl = (host: string) => `http://${host}/`;

/** The application's own admin area (SPIP /ecrire/, Moodle /admin/), from its profile. */
export const adminUrl = (host: string, adminPath: string) => `http://${host}${adminPath.startsWith('/') ? adminPath : `/${adminPath}`}`;

/** The site's page in Mutu. */
export const sitePageHref = (host: string) => `/sites/${host}`;
