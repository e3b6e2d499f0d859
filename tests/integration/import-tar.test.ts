import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decompressed } from '@/lib/imports/decompress';
import { extractTar, UnsafeArchiveError, type ExtractOptions } from '@/lib/imports/tar-reader';
import { localizedError } from '@/lib/i18n/errors';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-untar-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

let n = 0;
/** A fresh case folder: `src/` to archive from, `out/` to extract into (its parent watched for escapes). */
function scratch() {
  const dir = path.join(work, `case${++n}`);
  fs.mkdirSync(path.join(dir, 'src', 'IMG'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'out', 'IMG'), { recursive: true });
  return { dir, src: path.join(dir, 'src'), dest: path.join(dir, 'out', 'IMG') };
}

/** The real GNU tar, with an argument array. */
function tar(cwd: string, args: string[]) {
  const r = spawnSync('tar', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tar ${args.join(' ')}: ${r.stderr}`);
}

async function extract(archive: string, dest: string, caps: Partial<ExtractOptions> = {}) {
  const format = archive.endsWith('.zst') ? 'zstd' : 'tar.gz';
  return extractTar(decompressed(archive, format), { dest, top: 'IMG', maxBytes: 1 << 30, maxEntries: 10_000, folderMode: 0o750, ...caps });
}

/** Every file under a folder with its sha256, and every symlink or special file found (there must be none). */
function tree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      const rel = path.relative(root, p);
      if (e.isDirectory()) {
        out[`${rel}/`] = 'dir';
        walk(p);
      } else if (e.isFile()) out[rel] = crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
      else out[rel] = 'SPECIAL';
    }
  };
  walk(root);
  return out;
}

describe('the import tar reader', () => {
  it('restores files and folders exactly, with UTF-8, spaces and long names, from gzip and zstd, gnu and pax tar', async () => {
    const c = scratch();
    const img = path.join(c.src, 'IMG');
    const longDir = path.join('deep', 'a'.repeat(80), 'b'.repeat(80));
    fs.mkdirSync(path.join(img, longDir), { recursive: true });
    fs.mkdirSync(path.join(img, 'empty folder'));
    fs.writeFileSync(path.join(img, longDir, `${'c'.repeat(90)}.jpg`), crypto.randomBytes(70_000));
    fs.writeFileSync(path.join(img, 'été à la plage — 写真.png'), crypto.randomBytes(1234));
    fs.writeFileSync(path.join(img, 'empty.txt'), '');
    const expected = tree(img);
    for (const [fmt, ext, flag] of [['gnu', 'tar.gz', '-z'], ['pax', 'tar.gz', '-z'], ['pax', 'tar.zst', '--zstd']] as const) {
      const archive = path.join(c.dir, `ok-${fmt}.${ext}`);
      tar(c.src, [`--format=${fmt}`, flag, '-cf', archive, 'IMG']);
      const dest = path.join(c.dir, `out-${fmt}-${ext}`, 'IMG');
      fs.mkdirSync(dest, { recursive: true });
      const stats = await extract(archive, dest);
      expect(tree(dest), `${fmt} ${ext}`).toEqual(expected);
      expect(stats.files).toBe(3);
      expect(stats.bytes).toBe(70_000 + 1234);
    }
  });

  const refusals: { name: string; build: (c: ReturnType<typeof scratch>) => string; message: RegExp; french?: RegExp; caps?: Partial<ExtractOptions> }[] = [
    {
      name: '../x',
      build: (c) => {
        fs.writeFileSync(path.join(c.src, 'x'), 'escaped\n');
        tar(path.join(c.src, 'IMG'), ['-czPf', path.join(c.dir, 'a.tar.gz'), '../x']);
        return path.join(c.dir, 'a.tar.gz');
      },
      message: /"\.\.\/x": "\.\." would leave/,
    },
    {
      name: 'IMG/../x (inside the top folder first)',
      build: (c) => {
        fs.writeFileSync(path.join(c.src, 'IMG', 'ok.txt'), 'fine\n');
        fs.writeFileSync(path.join(c.src, 'x'), 'escaped\n');
        tar(c.src, ['-czPf', path.join(c.dir, 'a.tar.gz'), 'IMG/ok.txt', 'IMG/../x']);
        return path.join(c.dir, 'a.tar.gz');
      },
      message: /"IMG\/\.\.\/x": "\.\." would leave/,
    },
    {
      name: 'an absolute path',
      build: (c) => {
        const abs = path.join(c.src, 'etc-x');
        fs.writeFileSync(abs, 'absolute\n');
        tar(c.src, ['-czPf', path.join(c.dir, 'a.tar.gz'), abs]);
        return path.join(c.dir, 'a.tar.gz');
      },
      message: /an absolute path/,
    },
    {
      name: 'a symbolic link to /etc/passwd',
      build: (c) => {
        fs.symlinkSync('/etc/passwd', path.join(c.src, 'IMG', 'passwd'));
        tar(c.src, ['-czf', path.join(c.dir, 'a.tar.gz'), 'IMG']);
        return path.join(c.dir, 'a.tar.gz');
      },
      message: /"IMG\/passwd": a symbolic link/,
      french: /^« IMG\/passwd » refusé : un lien symbolique \(seuls les fichiers et les dossiers sont restaurés\)$/,
    },
    {
      name: 'a hard link',
      build: (c) => {
        fs.writeFileSync(path.join(c.src, 'IMG', 'a.txt'), 'one file, two names\n');
        fs.linkSync(path.join(c.src, 'IMG', 'a.txt'), path.join(c.src, 'IMG', 'b.txt'));
        tar(c.src, ['-czf', path.join(c.dir, 'a.tar.gz'), 'IMG/a.txt', 'IMG/b.txt']);
        return path.join(c.dir, 'a.tar.gz');
      },
      message: /"IMG\/b\.txt": a hard link/,
    },
    {
      name: 'a FIFO',
      build: (c) => {
        expect(spawnSync('mkfifo', [path.join(c.src, 'IMG', 'pipe')]).status).toBe(0);
        tar(c.src, ['-czf', path.join(c.dir, 'a.tar.gz'), 'IMG']);
        return path.join(c.dir, 'a.tar.gz');
      },
      message: /"IMG\/pipe": a FIFO/,
    },
    {
      name: 'an entry outside the top folder',
      build: (c) => {
        fs.mkdirSync(path.join(c.src, 'config'));
        fs.writeFileSync(path.join(c.src, 'config', 'connect.php'), '<?php evil();\n');
        tar(c.src, ['-czf', path.join(c.dir, 'a.tar.gz'), 'config/connect.php']);
        return path.join(c.dir, 'a.tar.gz');
      },
      message: /every entry must sit in IMG\//,
    },
    {
      name: 'too many entries',
      build: (c) => {
        for (let i = 0; i < 30; i++) fs.writeFileSync(path.join(c.src, 'IMG', `f${i}`), `${i}\n`);
        tar(c.src, ['-czf', path.join(c.dir, 'a.tar.gz'), 'IMG']);
        return path.join(c.dir, 'a.tar.gz');
      },
      caps: { maxEntries: 20 },
      message: /more than 20 entries/,
      french: /^plus de 20 entrées : refusée comme possible bombe d’archive$/,
    },
    {
      name: 'too many bytes (a file of zeros that compresses to almost nothing)',
      build: (c) => {
        fs.writeFileSync(path.join(c.src, 'IMG', 'small.txt'), 'x'.repeat(1000));
        fs.writeFileSync(path.join(c.src, 'IMG', 'zeros.bin'), Buffer.alloc(8 * 1024 * 1024));
        tar(c.src, ['-czf', path.join(c.dir, 'a.tar.gz'), 'IMG/small.txt', 'IMG/zeros.bin']);
        expect(fs.statSync(path.join(c.dir, 'a.tar.gz')).size).toBeLessThan(64 * 1024);
        return path.join(c.dir, 'a.tar.gz');
      },
      caps: { maxBytes: 4 * 1024 * 1024 },
      message: /more than 4194304 bytes/,
    },
    {
      name: 'a character device (hand-written header)',
      build: (c) => {
        const h = Buffer.alloc(512);
        h.write('IMG/null', 0);
        h.write('0000644\0', 100);
        h.write('0000000\0', 108);
        h.write('0000000\0', 116);
        h.write('00000000000\0', 124);
        h.write('00000000000\0', 136);
        h.write('        ', 148);
        h.write('3', 156);
        h.write('ustar\0', 257);
        h.write('00', 263);
        h.write('0000001\0', 329);
        h.write('0000003\0', 337);
        let sum = 0;
        for (const b of h) sum += b;
        h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
        const file = path.join(c.dir, 'a.tar');
        fs.writeFileSync(file, Buffer.concat([h, Buffer.alloc(1024)]));
        spawnSync('gzip', ['-f', file]);
        return `${file}.gz`;
      },
      message: /"IMG\/null": a character device/,
    },
    {
      name: 'a file that is not a tar archive',
      build: (c) => {
        const file = path.join(c.dir, 'a.txt');
        fs.writeFileSync(file, 'hello '.repeat(200));
        spawnSync('gzip', ['-f', file]);
        return `${file}.gz`;
      },
      message: /not a tar archive/,
      french: /^ce n’est pas une archive tar, ou un en-tête est corrompu$/,
    },
  ];

  for (const r of refusals) {
    it(`refuses ${r.name}, writing nothing outside the destination`, async () => {
      const c = scratch();
      const archive = r.build(c);
      const err = await extract(archive, c.dest, r.caps).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UnsafeArchiveError);
      expect((err as Error).message).toMatch(r.message);
      // Every refusal is worded from the catalogue: a French reader of the import's job reads it in French.
      const french = localizedError(err as Error, 'fr').message.replace(/\u00a0/g, ' ');
      expect(french).not.toBe((err as Error).message);
      if (r.french) expect(french).toMatch(r.french);
      // Nothing escaped: the case folder holds only what the test made and the destination.
      expect(fs.readdirSync(path.join(c.dir, 'out')).sort()).toEqual(['IMG']);
      expect(Object.values(tree(c.dest))).not.toContain('SPECIAL');
      if (r.caps?.maxBytes) {
        const written = Object.keys(tree(c.dest)).reduce((s, f) => s + (f.endsWith('/') ? 0 : fs.statSync(path.join(c.dest, f)).size), 0);
        expect(written).toBeLessThanOrEqual(r.caps.maxBytes);
      }
    });
  }
});
