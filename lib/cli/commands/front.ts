import type { Command } from 'commander';
import { frontStatus, setupFront, syncFront } from '../../front/farm';
import { maintenanceText, setMaintenanceText } from '../../front/maintenance';
import { CliError, cliActor, printJson, readStdin, requireRegistry } from '../output';

const count = (n: number) => n.toLocaleString('en');

export function defineFront(front: Command): void {
  front.hook('preAction', requireRegistry);

  front
    .command('setup')
    .description("write the farm's front configuration (once), then serve every site of the registry")
    .option('--no-sync', 'write the front only; serve the sites later with `mutu front sync`')
    .action(async (opts: { sync: boolean }) => {
      const r = await setupFront();
      console.log(r.written.length ? `Written and checked (nginx -t, php-fpm -t):\n${r.written.map((f) => `  ${f}`).join('\n')}` : 'The front was already set up: nothing to write.');
      console.log(r.lookup === 'files' ? "Lookup: a file per host, read by nginx's js module (a site's change needs no reload)." : "Lookup: nginx's map (each site's change reloads nginx; install libnginx-mod-http-js for changes without a reload).");
      if (r.wantedLookup !== r.lookup) console.log(`The ${r.wantedLookup} lookup is wanted (MUTU_FRONT_LOOKUP): \`mutu front sync\` switches every site to it, host files first, then one reload.`);
      if (r.include) console.log(`nginx includes it through ${r.include}.`);
      else console.log('Include it in the http block of nginx.conf: the line `include <MUTU_FRONT_NGINX_DIR>/farm.conf;`, then run `mutu front status`.');
      if (r.reloaded.length) console.log(`Reloaded: ${r.reloaded.join(', ')}.`);
      if (r.start.length) console.log(`PHP-FPM groups: each is a master of its own; start them (and at boot) with:\n${r.start.map((c) => `  ${c}`).join('\n')}`);
      if (r.groupsStopped.length) {
        // Pools moved into a group whose master is stopped would not answer: the admin starts them first.
        console.log(`Not serving the sites yet: ${r.groupsStopped.join(', ')} not running. Start them (above), then run \`mutu front sync\`.`);
        return;
      }
      if (opts.sync) await sync(false);
    });

  front
    .command('status')
    .description('whether the front is installed, running and in sync with the registry (and which sites differ)')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const s = await frontStatus();
      if (opts.json) return printJson(s);
      const yes = (b: boolean | null, y: string, n: string) => (b === null ? '-' : b ? y : n);
      console.log(`nginx:     ${yes(s.nginx.installed, 'installed', 'not installed (apt-get install nginx)')}, ${yes(s.nginx.running, 'running', 'not running')}${s.setUp ? `, ${yes(s.nginx.included, 'includes the farm', `does not include ${s.layout.nginxDir}/farm.conf`)}` : ''}`);
      console.log(`PHP-FPM:   ${s.php.length ? s.php.map((p) => `${p.version} (${p.running ? 'running' : 'not running'})`).join(', ') : 'not installed (apt-get install php8.2-fpm)'}`);
      if (s.groups.some((g) => g.group)) {
        for (const g of s.groups) {
          const misplaced = g.misplaced.length ? `, ${count(g.misplaced.length)} belong to another group` : '';
          console.log(`  ${g.label}: ${g.running ? 'running' : 'not running'}, ${count(g.pools)} pools${misplaced}${g.hint ? `; ${g.hint}` : ''}`);
        }
      }
      if (!s.setUp) {
        console.log(`front:     not set up: sites are not served. Run \`mutu front setup\` as root (it writes ${s.layout.nginxDir}).`);
        process.exitCode = 3;
        return;
      }
      console.log(`front:     ${s.layout.nginxDir}, listening on ${s.layout.listen.join(', ')}; ${count(s.sites)} sites`);
      console.log(`lookup:    ${s.lookup.used === 'files' ? "a file per host (nginx's js module): a site's change needs no reload" : "nginx's map: each site's change reloads nginx"}${s.lookup.advice ? `; ${s.lookup.advice}` : ''}`);
      if (s.inSync) {
        console.log('in sync:   yes');
        return;
      }
      console.log(`in sync:   no (${s.differing.length} differing, ${s.stray.length} stray files); \`mutu front sync\` rewrites the front from the registry`);
      for (const d of s.differing.slice(0, 50)) console.log(`  ${d.host}: ${d.problem}`);
      if (s.differing.length > 50) console.log(`  … and ${s.differing.length - 50} more (--json lists them all)`);
      for (const f of s.stray.slice(0, 20)) console.log(`  stray: ${f}`);
      process.exitCode = 3;
    });

  front
    .command('sync')
    .description('rewrite the whole front from the registry (idempotent): users, owners, maps, pools')
    .option('--deep', "also set the owners of every file in the sites' writable folders")
    .action(async (opts: { deep?: boolean }) => sync(!!opts.deep));

  front
    .command('maintenance')
    .description("show or set the text a disabled site's visitors read (503)")
    .option('--text <text>', 'the new text ("" for the default one)')
    .option('--stdin', 'read the new text from standard input')
    .action(async (opts: { text?: string; stdin?: boolean }) => {
      if (opts.text === undefined && !opts.stdin) {
        console.log((await maintenanceText()) ?? '(the default text: "This site is under maintenance. Please come back later.")');
        return;
      }
      if (opts.text !== undefined && opts.stdin) throw new CliError('give --text or --stdin, not both', 2);
      await setMaintenanceText(cliActor(), opts.stdin ? await readStdin() : opts.text!);
      console.log('Maintenance text saved.');
    });
}

async function sync(deep: boolean): Promise<void> {
  let shown = 0;
  const r = await syncFront({
    deep,
    onProgress: (done, total) => {
      const pct = Math.floor((done / total) * 10);
      if (pct > shown) {
        shown = pct;
        console.log(`  ${done} of ${total} sites`);
      }
    },
  });
  console.log(`Front in sync with the registry: ${count(r.sites)} sites served; ${r.changed.length} files written, ${r.removed.length} removed${r.usersCreated.length ? `, ${r.usersCreated.length} Unix users made` : ''}${r.reloaded.length ? `; reloaded ${r.reloaded.join(', ')}` : ''}.`);
  for (const g of r.groups) if (g.hint) console.log(`  ${g.label} (${count(g.pools)} pools): ${g.hint}`);
  for (const p of r.problems) console.error(`  ${p.host}: ${p.problem}`);
  if (r.problems.length) {
    process.exitCode = 3;
    console.error(`${r.problems.length} sites could not be served as they are: see above.`);
  }
}
