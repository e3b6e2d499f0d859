import fs from 'node:fs';

/** The variable every upgrade command runs with, so its processes can be told from others. */
export const JOB_MARK = 'MUTU_UPGRADE_JOB';

/** Processes of a group that carry the job's mark in their environment (Linux /proc). */
function markedMembers(pgid: number, jobId: string): number[] {
  const found: number[] = [];
  const mark = Buffer.from(`${JOB_MARK}=${jobId}\0`);
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name (field 2) may hold spaces and parentheses: fields restart after the last ")".
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid) continue;
      if (fs.readFileSync(`/proc/${entry}/environ`).includes(mark)) found.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/**
 * Kills what is left of an upgrade command whose worker died: its process group outlived
 * the worker (it runs detached) and would go on changing the database being restored.
 * The group id alone could have been reused since, so only processes marked with this job
 * are taken as proof. Returns how many were found.
 */
export function killLeftoverCommand(pgid: number, jobId: string): number {
  if (!fs.existsSync('/proc/self/stat')) {
    // No /proc to check the mark: a group id is only reused after the whole group is gone.
    try {
      process.kill(-pgid, 'SIGKILL');
      return 1;
    } catch {
      return 0;
    }
  }
  const members = markedMembers(pgid, jobId);
  if (members.length) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {}
  }
  return members.length;
}
