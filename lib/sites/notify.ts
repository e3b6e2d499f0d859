import { operatorRecipients, publicLink, sendMail } from '../mail';

type SiteEvent = 'created' | 'failed' | 'destroyed';

const SUBJECTS: Record<SiteEvent, (host: string) => string> = {
  created: (h) => `[Mutu] Site created: ${h}`,
  failed: (h) => `[Mutu] Site creation failed: ${h}`,
  destroyed: (h) => `[Mutu] Site destroyed: ${h}`,
};

/**
 * Tells the admins and technical operators. No secret goes in: links point to the
 * dashboard, built from the configured public URL.
 */
export async function notifySiteEvent(event: SiteEvent, host: string, info: { jobId?: string; error?: string; by?: string }) {
  const to = await operatorRecipients();
  if (!to.length) return;
  const lines = [
    event === 'created' ? `The site ${host} was created${info.by ? ` (asked by ${info.by})` : ''}.` : '',
    event === 'failed' ? `Creating the site ${host} failed and everything it had made was undone.\nReason: ${info.error ?? 'unknown'}` : '',
    event === 'destroyed' ? `The site ${host} was destroyed${info.by ? ` by ${info.by}` : ''}; its folder is in the farm's trash.` : '',
    '',
    event === 'destroyed' ? '' : `Site: ${publicLink(`/sites/${encodeURIComponent(host)}`)}`,
    info.jobId ? `Job log: ${publicLink(`/jobs/${info.jobId}`)}` : '',
  ].filter((l, i, all) => l !== '' || (i > 0 && all[i - 1] !== ''));
  await sendMail({ to, subject: SUBJECTS[event](host), text: lines.join('\n') + '\n' });
}
