import { formatDate } from '../domain/format';
import { operatorRecipients, publicLink, sendMail } from '../mail';

export interface RenewalFailure {
  host: string;
  error: string;
  /** when the certificate still served expires */
  notAfter: string;
}

/**
 * One mail to the admins and operators after a renewal run that left work for them: each
 * failed host with the CA's or the front's words, and the imported certificates about to
 * expire (only an admin can replace those).
 */
export async function mailRenewalReport(failures: RenewalFailure[], imported: { host: string; notAfter: string }[], jobId: string): Promise<void> {
  const to = await operatorRecipients();
  if (!to.length) return;
  const subject = failures.length
    ? `[Mutu] Certificates: ${failures.length} renewal${failures.length === 1 ? '' : 's'} failed (${failures.slice(0, 3).map((f) => f.host).join(', ')}${failures.length > 3 ? '…' : ''})`
    : `[Mutu] Certificates: ${imported.length} imported certificate${imported.length === 1 ? '' : 's'} to replace`;
  const lines: string[] = [];
  if (failures.length) {
    lines.push(`The renewal of ${failures.length} certificate${failures.length === 1 ? '' : 's'} failed. Each site keeps serving its current certificate until it expires; the next daily run tries again.`, '');
    for (const f of failures) {
      lines.push(`${f.host} (current certificate valid until ${formatDate(f.notAfter)})`, `  why: ${f.error}`, `  site: ${publicLink(`/sites/${encodeURIComponent(f.host)}`)}`, '');
    }
  }
  if (imported.length) {
    lines.push('Imported certificates expire soon; Mutu does not renew them: import the next ones (mutu tls import).', '');
    for (const c of imported) lines.push(`${c.host}: valid until ${formatDate(c.notAfter)}`);
    lines.push('');
  }
  lines.push(`Job log: ${publicLink(`/jobs/${jobId}`)}`);
  await sendMail({ to, subject, text: lines.join('\n') + '\n' });
}
