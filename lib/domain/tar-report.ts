/**
 * What GNU tar says on its standard error while it writes an archive to its standard output
 * with `-vv` and `LC_ALL=C.UTF-8`: one long listing line per member, and its own messages
 * ("tar: NAME: file changed as we read it"). Pure: the export's uploads archive reads it.
 */

/** The first letter of a listing line: `-` regular file, `d` folder, `l` symbolic link, `h` hard link, `p` FIFO, `c`/`b` devices. */
export type TarMemberType = '-' | 'd' | 'l' | 'h' | 'p' | 'c' | 'b' | 's' | 'C';

export type TarReportLine =
  | { kind: 'member'; type: TarMemberType; size: number; name: string }
  /** read while it changed (size or time): archived as read, padded or cut to the size first seen */
  | { kind: 'changed'; name: string }
  /** gone between tar's listing of its folder and its reading */
  | { kind: 'removed'; name: string }
  /** could not be opened, listed or read (`--ignore-failed-read` makes it a warning): left out */
  | { kind: 'unreadable'; name: string }
  /** a socket: tar never archives one */
  | { kind: 'special'; name: string }
  | { kind: 'other'; message: string };

// "-rw-r----- 0/0   1234 2026-12-01 22:49 IMG/a b.jpg" (with "-> target" or "link to other" for links)
const MEMBER = /^([-dlhpcbsC])[-rwxsStT]{9}\S*\s+\d+\/\d+\s+(\d+)\s+\d{4}-\d\d-\d\d\s+\d\d:\d\d\s(.*)$/;
const MESSAGE = /^tar: (.*?): (?:Warning: )?(.*)$/;

export function parseTarLine(line: string): TarReportLine {
  const m = MEMBER.exec(line);
  if (m) {
    const type = m[1] as TarMemberType;
    let name = m[3]!;
    if (type === 'l') name = name.replace(/ -> .*$/, '');
    if (type === 'h') name = name.replace(/ link to .*$/, '');
    return { kind: 'member', type, size: Number(m[2]), name };
  }
  const msg = MESSAGE.exec(line);
  if (msg) {
    const [, name, what] = msg as unknown as [string, string, string];
    if (/^file changed as we read it$|^File shrank by \d+ bytes/.test(what)) return { kind: 'changed', name };
    if (/^File removed before we read it$/.test(what)) return { kind: 'removed', name };
    if (/^Cannot (open|stat|read|savedir|opendir|readlink)\b/.test(what)) return { kind: 'unreadable', name };
    if (/^socket ignored$/.test(what)) return { kind: 'special', name };
  }
  return { kind: 'other', message: line };
}
