import fs from 'node:fs';

/** What /proc/<pid>/stat says after the command's closing parenthesis (state is field 3 of the line, so index 0 here). */
function statFields(pid: number | string): string[] | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  } catch {
    return undefined; // gone
  }
}

/** CPU time (user + system) of a process and of its children it waited for, in ms (clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  const f = statFields(pid);
  return f ? (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * 10 : NaN;
}

/** The same summed over every live process of a process group (a server and what it started). */
export function groupCpuMs(pgid: number): number {
  let total = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const f = statFields(entry);
    // pgrp is field 5 of the line
    if (f && Number(f[2]) === pgid) total += (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * 10;
  }
  return total;
}
