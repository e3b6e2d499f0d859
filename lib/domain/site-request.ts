import { z } from 'zod';

/** What an admin (dashboard or CLI) gives to create a site. */
export const createSiteSchema = z.object({
  host: z.string().min(1, 'the site host, such as blog.example.org').max(300),
  platform: z.string().trim().optional(),
  server: z.string().trim().optional(),
  sharedDb: z.boolean().default(false),
  webmaster: z.email('an e-mail address').trim().toLowerCase().optional(),
});
export type CreateSiteInput = z.input<typeof createSiteSchema>;
