import * as z from 'zod';
import { NodeNameError, normaliseNodeName } from './node';

/** What an admin (dashboard or CLI) gives to create a site. */
export const createSiteSchema = z.object({
  host: z.string().min(1, 'the site host, such as blog.example.org').max(300),
  platform: z.string().trim().optional(),
  server: z.string().trim().optional(),
  sharedDb: z.boolean().default(false),
  webmaster: z.email('an e-mail address').trim().toLowerCase().optional(),
  /** the node whose disk holds its files (a farm of several machines); unsaid: any, the farm's only node */
  node: z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return undefined;
      try {
        return normaliseNodeName(v);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: err instanceof NodeNameError ? err.message : String(err) });
        return z.NEVER;
      }
    }),
});
export type CreateSiteInput = z.input<typeof createSiteSchema>;
