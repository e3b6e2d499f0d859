import { describe, expect, it } from 'vitest';
import { parseTarLine } from '@/lib/domain/tar-report';

describe("reading GNU tar's listing and messages", () => {
  it('reads members, their type, size and name', () => {
    expect(parseTarLine('-rw-r----- 0/0          123456 2026-12-01 22:49 IMG/jpg/photo été 1.jpg')).toEqual({ kind: 'member', type: '-', size: 123456, name: 'IMG/jpg/photo été 1.jpg' });
    expect(parseTarLine('drwxr-x--- 0/0               0 2026-12-01 22:49 IMG/jpg/')).toEqual({ kind: 'member', type: 'd', size: 0, name: 'IMG/jpg/' });
    expect(parseTarLine('lrwxrwxrwx 0/0               0 2026-12-01 22:49 IMG/pw -> /etc/passwd')).toEqual({ kind: 'member', type: 'l', size: 0, name: 'IMG/pw' });
    expect(parseTarLine('hrw-r--r-- 0/0               0 2026-12-01 22:49 IMG/b link to IMG/a')).toEqual({ kind: 'member', type: 'h', size: 0, name: 'IMG/b' });
    expect(parseTarLine('prw-r--r-- 0/0               0 2026-12-01 22:49 IMG/fifo')).toMatchObject({ kind: 'member', type: 'p' });
  });

  it("reads tar's own messages about files that changed, vanished or could not be read", () => {
    expect(parseTarLine('tar: IMG/a.jpg: file changed as we read it')).toEqual({ kind: 'changed', name: 'IMG/a.jpg' });
    expect(parseTarLine('tar: IMG/a.jpg: File shrank by 10 bytes; padding with zeros')).toEqual({ kind: 'changed', name: 'IMG/a.jpg' });
    expect(parseTarLine('tar: IMG/gone: File removed before we read it')).toEqual({ kind: 'removed', name: 'IMG/gone' });
    expect(parseTarLine('tar: IMG/secret: Warning: Cannot open: Permission denied')).toEqual({ kind: 'unreadable', name: 'IMG/secret' });
    expect(parseTarLine('tar: IMG/closed: Warning: Cannot savedir: Permission denied')).toEqual({ kind: 'unreadable', name: 'IMG/closed' });
    expect(parseTarLine('tar: IMG/sock: socket ignored')).toEqual({ kind: 'special', name: 'IMG/sock' });
    expect(parseTarLine('tar: Exiting with failure status due to previous errors')).toEqual({ kind: 'other', message: 'tar: Exiting with failure status due to previous errors' });
    // a name that looks like a message is still a member when the line is a listing line
    expect(parseTarLine('-rw-r--r-- 0/0 1 2026-12-01 22:49 tar: x: file changed as we read it')).toMatchObject({ kind: 'member', name: 'tar: x: file changed as we read it' });
  });
});
