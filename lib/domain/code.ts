import * as z from 'zod';
import { isPattern } from './pattern';

/** An activation code reads `mutu-<lookup>-<secret>`: the lookup finds the row, only the secret's HMAC is stored. */
export const CODE_FORMAT = /^mutu-([a-z0-9]{10})-([A-Za-z0-9_-]{32})$/;

export function parseCode(text: string): { lookup: string; secret: string } | null {
  const m = CODE_FORMAT.exec(text.trim());
  return m ? { lookup: m[1]!, secret: m[2]! } : null;
}

export const createCodeSchema = z.object({
  label: z.string().trim().min(1, 'a label saying who the code is for').max(200),
  uses: z.coerce.number().int().min(1, 'at least 1').max(100_000).default(1),
  /** days from now; empty for a code that does not expire */
  expiresInDays: z.coerce.number().int().min(1).max(3650).optional(),
  hostPattern: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9*?.-]+$/, 'a host pattern such as *.asso.example.org')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  platform: z.string().trim().optional().transform((v) => v || undefined),
});
export type CreateCodeInput = z.input<typeof createCodeSchema>;

export { isPattern };
