// Real SPIP releases, from ../shared/spip/ (SPIP's own source, made with git archive; see its
// README): unpacked into temporary folders, never into the project. What a release made from
// git lacks to run is added as a farm admin would add it, without touching SPIP's own files:
// Composer's autoloader for 4.2 (a stand-in: SPIP's classes, and the two small libraries it
// calls), and templates of our own (the core has none for the public side). Free of the test
// runner: the benches unpack them too (bench/upgrade.ts --spip).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type SpipVersion = '4.1.15' | '4.2.9';

const SHARED = process.env.MUTU_TEST_SPIP_DIR || path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'spip');

/** Why real SPIP tests cannot run here, or null. */
export function spipUnavailable(): string | null {
  for (const v of ['4.1.15', '4.2.9']) {
    if (!fs.existsSync(path.join(SHARED, `spip-v${v}.tar.gz`))) return `no SPIP release at ${SHARED} (spip-v${v}.tar.gz): set MUTU_TEST_SPIP_DIR`;
  }
  return null;
}

const AUTOLOAD = `<?php
// Tests' stand-in for Composer's autoloader of a SPIP 4.2 git checkout: SPIP's PSR-4 classes,
// symfony/deprecation-contracts' one function, and the one idna-convert class SPIP uses, with
// PHP's intl (the Symfony polyfills are not needed on PHP 8.2).
spl_autoload_register(function (string $class): void {
    if (str_starts_with($class, 'Spip\\\\')) {
        $file = dirname(__DIR__) . '/ecrire/src/' . str_replace('\\\\', '/', substr($class, 5)) . '.php';
        if (is_file($file)) require $file;
    } elseif ($class === 'Algo26\\\\IdnaConvert\\\\ToIdn') {
        require __DIR__ . '/to-idn.php';
    }
});
if (!function_exists('trigger_deprecation')) {
    function trigger_deprecation(string $package, string $version, string $message, mixed ...$args): void {
        @trigger_error(($package || $version ? "Since $package $version: " : '') . ($args ? vsprintf($message, $args) : $message), E_USER_DEPRECATED);
    }
}
`;

const TO_IDN = `<?php
namespace Algo26\\IdnaConvert;

class ToIdn {
    public function convert(string $host): string {
        return idn_to_ascii($host, IDNA_DEFAULT, INTL_IDNA_VARIANT_UTS46) ?: $host;
    }
}
`;

/** A home page listing the articles, and an article page: enough for /spip.php to answer. */
const TEMPLATES: Record<string, string> = {
  'sommaire.html': `<!DOCTYPE html><html><head><meta charset="#CHARSET"><title>#NOM_SITE_SPIP</title></head><body>
<h1>#NOM_SITE_SPIP</h1>
<ul class="articles"><BOUCLE_a(ARTICLES){par id_article}><li><a href="#URL_ARTICLE">#TITRE</a></li></BOUCLE_a></ul>
</body></html>
`,
  'article.html': `<BOUCLE_a(ARTICLES){id_article}><!DOCTYPE html><html><head><meta charset="#CHARSET"><title>#TITRE</title></head><body><h1>#TITRE</h1>#TEXTE</body></html></BOUCLE_a>
`,
};

/** A SPIP release unpacked in a fresh folder every site's user can read, ready to be a platform. */
export function unpackSpipRelease(version: SpipVersion): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `mutu-spip-${version}-`));
  fs.chmodSync(dir, 0o755);
  execFileSync('tar', ['-xzf', path.join(SHARED, `spip-v${version}.tar.gz`), '-C', dir]);
  if (version.startsWith('4.2')) {
    fs.mkdirSync(path.join(dir, 'vendor'));
    fs.writeFileSync(path.join(dir, 'vendor', 'autoload.php'), AUTOLOAD);
    fs.writeFileSync(path.join(dir, 'vendor', 'to-idn.php'), TO_IDN);
  }
  fs.mkdirSync(path.join(dir, 'squelettes'));
  for (const [name, content] of Object.entries(TEMPLATES)) fs.writeFileSync(path.join(dir, 'squelettes', name), content);
  execFileSync('chmod', ['-R', 'a+rX', dir]);
  return dir;
}
