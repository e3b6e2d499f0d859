import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { compressedSink } from '@/lib/exports/sink';
import { archiveUploads, UploadsChangedError } from '@/lib/exports/uploads-archive';
import { TarWriter } from '@/lib/farm/archive-tar';
import type { Compression } from '@/lib/exports/format';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mutu-archive-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

async function shaStream(file: string) {
  const hash = crypto.createHash('sha256');
  for await (const c of fs.createReadStream(file)) hash.update(c as Buffer);
  return hash.digest('hex');
}

/** Archives `<site>/IMG` as the export job does, into `out`. */
async function archive(site: string, out: string, format: Compression = 'gzip') {
  return archiveUploads(site, 'IMG', { format: 'tar', open: (source) => compressedSink(out, format, { mode: 0o640, source }) });
}

/** Archives `<site>/IMG` as a zip export does. */
async function archiveZip(site: string, out: string, forceZip64 = false) {
  return archiveUploads(site, 'IMG', { format: 'zip', open: () => compressedSink(out, 'none', { mode: 0o640 }), forceZip64 });
}

/** Runs a real tool with an argument array; fails the test with its stderr. */
function run(cmd: string, args: string[]) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

const tar = (args: string[]) => run('tar', args);

describe('the IMG archive', () => {
  const farm = path.join(work, 'farm');
  const site = path.join(farm, 'site-a');
  const other = path.join(farm, 'site-b');
  const img = path.join(site, 'IMG');
  const longDir = path.join('deep', 'a'.repeat(60), 'b'.repeat(60));
  const longName = `${'c'.repeat(70)}.jpg`;
  const utf8Name = 'été à la plage — 写真 01.png';

  fs.mkdirSync(path.join(img, 'jpg'), { recursive: true });
  fs.mkdirSync(path.join(img, longDir), { recursive: true });
  fs.mkdirSync(path.join(other, 'IMG'), { recursive: true });
  fs.writeFileSync(path.join(other, 'IMG', 'secret.txt'), 'the other site\'s private file\n');
  fs.writeFileSync(path.join(img, 'jpg', 'photo.jpg'), crypto.randomBytes(300_000));
  fs.writeFileSync(path.join(img, utf8Name), 'accents and spaces\n');
  fs.writeFileSync(path.join(img, longDir, longName), 'a path of more than 200 characters\n');
  fs.writeFileSync(path.join(img, 'empty.txt'), '');
  fs.symlinkSync('/etc/passwd', path.join(img, 'passwd'));
  fs.symlinkSync(path.join(other, 'IMG'), path.join(img, 'other-site'));
  fs.symlinkSync('../../site-b/IMG/secret.txt', path.join(img, 'jpg', 'relative-link'));
  fs.linkSync(path.join(other, 'IMG', 'secret.txt'), path.join(img, 'hardlinked.txt'));
  spawnSync('mkfifo', [path.join(img, 'pipe')]);

  it('keeps only the real files and folders, with UTF-8 and long names, identical once unpacked by tar', async () => {
    expect(Buffer.byteLength(path.join('IMG', longDir, longName))).toBeGreaterThan(200);
    const { stats, file } = await archive(site, path.join(work, 'img.tar.gz'));
    expect(stats.skipped).toEqual({ symlink: 3, 'hard link': 1, 'special file': 1 });
    expect(file.sha256).toBe(sha(file.path));
    expect(file.sizeBytes).toBe(fs.statSync(file.path).size);
    expect(fs.statSync(file.path).mode & 0o777).toBe(0o640);

    const listing = tar(['-tvzf', file.path]);
    const names = tar(['-tzf', file.path]).trim().split('\n').sort();
    expect(names).toEqual(
      [
        'IMG/',
        'IMG/deep/',
        'IMG/deep/' + 'a'.repeat(60) + '/',
        `IMG/${longDir}/`,
        `IMG/${longDir}/${longName}`,
        'IMG/empty.txt',
        'IMG/jpg/',
        'IMG/jpg/photo.jpg',
        `IMG/${utf8Name}`,
      ].sort(),
    );
    expect(listing).not.toMatch(/passwd|secret|other-site|pipe|hardlinked|->/);

    const out = path.join(work, 'unpacked');
    fs.mkdirSync(out);
    tar(['-xzf', file.path, '-C', out]);
    for (const rel of ['jpg/photo.jpg', utf8Name, path.join(longDir, longName), 'empty.txt']) {
      expect(sha(path.join(out, 'IMG', rel)), rel).toBe(sha(path.join(img, rel)));
    }
  });

  it('writes zstd archives that zstd and tar read back', async () => {
    const { file } = await archive(site, path.join(work, 'img.tar.zst'), 'zstd');
    const out = path.join(work, 'unpacked-zst');
    fs.mkdirSync(out);
    tar(['--zstd', '-xf', file.path, '-C', out]);
    expect(sha(path.join(out, 'IMG', 'jpg/photo.jpg'))).toBe(sha(path.join(img, 'jpg/photo.jpg')));
    expect(fs.existsSync(path.join(out, 'IMG', 'passwd'))).toBe(false);
  });

  it('writes zip archives with the same entries, that unzip tests and unpacks identically', async () => {
    const { stats, file } = await archiveZip(site, path.join(work, 'img.zip'));
    expect(stats.skipped).toEqual({ symlink: 3, 'hard link': 1, 'special file': 1 });
    expect(file.sha256).toBe(sha(file.path));
    run('unzip', ['-tq', file.path]);
    // Python's zipfile reads the UTF-8 flag and the central directory independently of Info-ZIP.
    const names = JSON.parse(run('python3', ['-c', 'import sys, json, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(json.dumps(z.namelist()))', file.path])) as string[];
    expect(names.sort()).toEqual(
      ['IMG/', 'IMG/deep/', `IMG/deep/${'a'.repeat(60)}/`, `IMG/${longDir}/`, `IMG/${longDir}/${longName}`, 'IMG/empty.txt', 'IMG/jpg/', 'IMG/jpg/photo.jpg', `IMG/${utf8Name}`].sort(),
    );
    const out = path.join(work, 'unzipped');
    fs.mkdirSync(out);
    run('unzip', ['-q', file.path, '-d', out]);
    for (const rel of ['jpg/photo.jpg', utf8Name, path.join(longDir, longName), 'empty.txt']) {
      expect(sha(path.join(out, 'IMG', rel)), rel).toBe(sha(path.join(img, rel)));
    }
    expect(fs.existsSync(path.join(out, 'IMG', 'passwd'))).toBe(false);
    expect(fs.existsSync(path.join(out, 'IMG', 'hardlinked.txt'))).toBe(false);
    expect(fs.readdirSync(path.join(out, 'IMG')).sort()).toEqual(['deep', 'empty.txt', 'jpg', utf8Name].sort());
  });

  it('writes Zip64 records that unzip and Python read (as for files or archives over 4 GiB)', async () => {
    const { file } = await archiveZip(site, path.join(work, 'img64.zip'), true);
    const info = run('zipinfo', ['-v', file.path]);
    expect(info).toContain('PKWARE 64-bit sizes');
    run('unzip', ['-tq', file.path]);
    run('python3', ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; assert len(z.namelist()) == 9', file.path]);
    const out = path.join(work, 'unzipped64');
    fs.mkdirSync(out);
    run('unzip', ['-q', file.path, '-d', out]);
    expect(sha(path.join(out, 'IMG', 'jpg/photo.jpg'))).toBe(sha(path.join(img, 'jpg/photo.jpg')));
  });

  it('never archives a file outside IMG/ when IMG itself is a link', async () => {
    const linked = path.join(farm, 'site-c');
    fs.mkdirSync(linked);
    fs.symlinkSync(path.join(other, 'IMG'), path.join(linked, 'IMG'));
    const { stats, file } = await archive(linked, path.join(work, 'linked.tar.gz'));
    expect(stats.files).toBe(0);
    expect(tar(['-tzf', file.path]).trim()).toBe('');
  });

  it("run as the site's own user, tar gets only what that user may read: the kernel refuses the rest", async () => {
    // The account and the folders it must pass through: nobody stands for a site's user.
    const nobody = { uid: 65534, gid: 65534 };
    for (const d of [work, farm]) fs.chmodSync(d, 0o755);
    const own = path.join(farm, 'site-own');
    fs.mkdirSync(path.join(own, 'IMG'), { recursive: true });
    fs.chmodSync(own, 0o755);
    fs.writeFileSync(path.join(own, 'IMG', 'readable.jpg'), 'the site\'s own upload\n');
    fs.writeFileSync(path.join(own, 'IMG', 'root-only.txt'), 'not the site\'s to read\n', { mode: 0o600 });
    fs.chownSync(path.join(own, 'IMG'), nobody.uid, nobody.gid);
    fs.chownSync(path.join(own, 'IMG', 'readable.jpg'), nobody.uid, nobody.gid);
    const out = path.join(work, 'own.tar.gz');
    const { stats, file } = await archiveUploads(own, 'IMG', { format: 'tar', open: (source) => compressedSink(out, 'gzip', { mode: 0o640, source }) }, { as: nobody });
    expect(stats.skipped).toEqual({ unreadable: 1 });
    expect(stats.files).toBe(1);
    expect(tar(['-tzf', file.path]).trim().split('\n').sort()).toEqual(['IMG/', 'IMG/readable.jpg']);
    // As Mutu (root), the same folder gives both files: the refusal above was the kernel's.
    const asRoot = await archive(own, path.join(work, 'own-root.tar.gz'));
    expect(asRoot.stats.files).toBe(2);
  });

  it('refuses a tar export when a link escapes the exclusion list (a name with a line break), and leaves it out of a zip', async () => {
    const odd = path.join(farm, 'site-odd');
    fs.mkdirSync(path.join(odd, 'IMG'), { recursive: true });
    fs.writeFileSync(path.join(odd, 'IMG', 'photo.jpg'), 'a photo\n');
    fs.symlinkSync('/etc/passwd', path.join(odd, 'IMG', 'pass\nwd'));
    const out = path.join(work, 'odd.tar.gz');
    await expect(archive(odd, out)).rejects.toThrow(UploadsChangedError);
    expect(fs.readdirSync(work).filter((n) => n.includes('odd.tar.gz'))).toEqual([]); // no partial file left
    const { stats, file } = await archiveZip(odd, path.join(work, 'odd.zip'));
    expect(stats.skipped).toEqual({ symlink: 2 }); // counted by find, then seen again in tar's listing
    const names = JSON.parse(run('python3', ['-c', 'import sys, json, zipfile; print(json.dumps(zipfile.ZipFile(sys.argv[1]).namelist()))', file.path])) as string[];
    expect(names.sort()).toEqual(['IMG/', 'IMG/photo.jpg']);
  });

  it('archives 10,000 small files', async () => {
    const many = path.join(farm, 'site-many');
    for (let d = 0; d < 10; d++) {
      const dir = path.join(many, 'IMG', `d${d}`);
      fs.mkdirSync(dir, { recursive: true });
      for (let i = 0; i < 1000; i++) fs.writeFileSync(path.join(dir, `f${i}.txt`), `file ${d}/${i}\n`);
    }
    const { stats, file } = await archive(many, path.join(work, 'many.tar.gz'));
    expect(stats.files).toBe(10_000);
    expect(tar(['-tzf', file.path]).trim().split('\n')).toHaveLength(10_011);
    const zipped = await archiveZip(many, path.join(work, 'many.zip'));
    expect(zipped.stats.files).toBe(10_000);
    run('unzip', ['-tq', zipped.file.path]);
    fs.rmSync(many, { recursive: true, force: true });
  }, 60_000);

  // Three times the memory bound: a writer that buffered the file would cross it. The streaming
  // writers grow RSS by a few MB at most, so a 32 MB bound holds them with room; a bigger file
  // proves no more and costs deflate time (320 MiB took 80 s of a loaded two-core run).
  const BIG_MIB = 96;
  const BOUND_MIB = BIG_MIB / 3;
  it(`streams a ${BIG_MIB} MiB file with flat memory`, async () => {
    const big = path.join(farm, 'site-big');
    fs.mkdirSync(path.join(big, 'IMG'), { recursive: true });
    const bigFile = path.join(big, 'IMG', 'video.bin');
    const chunk = crypto.randomBytes(1024 * 1024);
    // Written with a stream (not sparse), from one reused random megabyte.
    await pipeline(
      Readable.from((function* () {
        for (let i = 0; i < BIG_MIB; i++) yield chunk;
      })()),
      fs.createWriteStream(bigFile),
    );
    const expected = await shaStream(bigFile);
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    try {
      const { stats, file } = await archive(big, path.join(work, 'big.tar.gz'));
      expect(stats.bytes).toBe(BIG_MIB * 1024 * 1024);
      // The zip writer streams the same way (raw deflate per chunk, CRC on the way).
      const zipped = await archiveZip(big, path.join(work, 'big.zip'));
      expect(zipped.stats.bytes).toBe(BIG_MIB * 1024 * 1024);
      fs.rmSync(big, { recursive: true, force: true });
      const unzip = spawn('unzip', ['-p', zipped.file.path, 'IMG/video.bin'], { stdio: ['ignore', 'pipe', 'inherit'] });
      const hash = crypto.createHash('sha256');
      for await (const c of unzip.stdout) hash.update(c as Buffer);
      expect(hash.digest('hex')).toBe(expected);
      fs.rmSync(zipped.file.path, { force: true });
      const out = path.join(work, 'unpacked-big');
      fs.mkdirSync(out);
      tar(['-xzf', file.path, '-C', out]);
      expect(await shaStream(path.join(out, 'IMG', 'video.bin'))).toBe(expected);
      fs.rmSync(out, { recursive: true, force: true });
      fs.rmSync(file.path, { force: true });
    } finally {
      clearInterval(timer);
    }
    expect(peak - before, `RSS grew by ${Math.round((peak - before) / 1048576)} MB`).toBeLessThan(BOUND_MIB * 1024 * 1024);
  }, 300_000);

  it("the secrets' tar writer (tar-stream) writes what GNU tar reads: long and UTF-8 names, sizes kept whatever the body", async () => {
    const out = path.join(work, 'written.tar');
    const chunks: Buffer[] = [];
    const writer = new TarWriter(async (c) => void chunks.push(Buffer.from(c)));
    const meta = { mode: 0o4755, mtime: new Date('2026-01-02T03:04:05Z') };
    const body = (...parts: string[]) => (async function* () { for (const p of parts) yield Buffer.from(p); })();
    const long = `config/${'d'.repeat(120)}/clés été.php`;
    await writer.directory('config', meta);
    expect(await writer.file(long, 6, meta, body('abc', 'def'))).toBe(6);
    expect(await writer.file('config/shrank.php', 8, meta, body('abc'))).toBe(3); // padded with zeros
    expect(await writer.file('config/grew.php', 2, meta, body('abcdef'))).toBe(2); // cut
    await writer.end();
    fs.writeFileSync(out, Buffer.concat(chunks));
    const listing = tar(['-tvf', out, '--numeric-owner', '--full-time']);
    expect(listing).toMatch(/^drwxr-xr-x 0\/0 +0 2026-01-02 03:04:05 config\/$/m); // no setuid bit, uid/gid 0
    const into = path.join(work, 'written');
    fs.mkdirSync(into);
    tar(['-xf', out, '-C', into]);
    expect(fs.readFileSync(path.join(into, long), 'utf8')).toBe('abcdef');
    expect(fs.readFileSync(path.join(into, 'config/shrank.php'))).toEqual(Buffer.from('abc\0\0\0\0\0'));
    expect(fs.readFileSync(path.join(into, 'config/grew.php'), 'utf8')).toBe('ab');
  });
});
