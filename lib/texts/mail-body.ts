/** What every mail builder in lib/texts returns: the sender adds the recipients. */
export interface MailText {
  subject: string;
  text: string;
}

/** Lines joined, left-out lines (false, undefined) dropped, at most one empty line in a row, ending with a newline. */
export function mailBody(lines: (string | false | undefined | null)[]): string {
  const kept = lines.filter((l): l is string => typeof l === 'string');
  return kept.filter((l, i) => l !== '' || (i > 0 && kept[i - 1] !== '')).join('\n').trim() + '\n';
}
