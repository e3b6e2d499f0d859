'use server';

import { revalidatePath } from 'next/cache';
import * as z from 'zod';
import { formAction } from '@/lib/auth/action';
import { adoptSite } from '@/lib/sites/adopt';
import { scanFarm } from '@/lib/sites/scan';
import { withoutEmpty } from '@/app/_lib/form-input';
import { scanView, type AdoptState, type ScanState } from '@/components/sites/scan-state';

// formAction checks the origin and the admin role, parses the form, and turns errors into state.

/** Reads the farm folder and the registry; changes nothing anywhere. */
const scan = formAction(z.object({}), async () => {
  const report = await scanFarm();
  const state: ScanState = { ok: true, report: scanView(report) };
  return state;
});

const adopt = formAction(
  withoutEmpty(z.object({ host: z.string().trim().min(1).max(300), platform: z.string().trim().max(64).optional() })),
  async ({ host, platform }, { actor, t }) => {
    const { site, server, connection } = await adoptSite(actor, host, { platform });
    revalidatePath('/sites');
    revalidatePath('/');
    const state: AdoptState = {
      ok: true,
      host: site.host,
      message: t('sites.adopted', { host: site.host, engine: connection.engine, database: connection.database, server: server.name }),
    };
    return state;
  },
);

export async function scanFarmAction(prev: ScanState, form: FormData): Promise<ScanState> {
  return scan(prev, form);
}

export async function adoptSiteAction(prev: AdoptState, form: FormData): Promise<AdoptState> {
  return adopt(prev, form);
}
