<?php
// Mutu's commands for one SPIP site, calling SPIP's own functions (never editing SPIP's files).
// Run by Mutu as the site's own Unix user, in the environment of a platform command:
//   MUTU_HOST, MUTU_PLATFORM_DIR (SPIP's root), MUTU_SITE_DIR, MUTU_SITE_URL, MUTU_OUTPUT
//
//   php spip-cli.php install       reads {"email", "name", "password"?} as JSON on stdin: creates
//                                  SPIP's tables with the site's prefix, its secret keys (all of
//                                  config/cles.php) and salts, and the webmaster as SPIP's first
//                                  administrator; with no password, writes SPIP's own
//                                  set-password link to MUTU_OUTPUT
//   php spip-cli.php upgrade       SPIP's database upgrade (maj_base, as ecrire/?exec=upgrade)
//   php spip-cli.php purge         SPIP's caches (tmp/meta_cache.php, tmp/cache/)
//   php spip-cli.php set-address URL   the site's address (adresse_site), after an import
// Exit status 0 on success; otherwise a message on stderr.

function mutu_fail(string $message, int $code = 1): void {
	fwrite(STDERR, "mutu: $message\n");
	exit($code);
}

$action = $argv[1] ?? '';
$platform = getenv('MUTU_PLATFORM_DIR');
require __DIR__ . '/spip-bootstrap.php';
if (!defined('_MUTU_SITE')) mutu_fail('MUTU_HOST is missing or not a host', 2);
if (!is_string($platform) || !is_file($platform . '/ecrire/inc_version.php')) mutu_fail("MUTU_PLATFORM_DIR is not a SPIP: no ecrire/inc_version.php in $platform", 2);

/** SPIP's folders for this site, from the platform's root (where SPIP runs from). */
function mutu_site_path(string $rel): string {
	return getenv('MUTU_PLATFORM_DIR') . '/' . $rel;
}

if ($action === 'purge') {
	// No SPIP needed (a cache may be what breaks it): files only, in the site's own tmp/.
	$tmp = mutu_site_path(_NOM_TEMPORAIRES_INACCESSIBLES);
	$removed = 0;
	foreach (['meta_cache.php', 'plugin_xml_cache.gz'] as $f) {
		if (is_file($tmp . $f) && @unlink($tmp . $f)) $removed++;
	}
	$purge = function (string $dir) use (&$purge, &$removed) {
		foreach (is_dir($dir) ? scandir($dir) : [] as $e) {
			if ($e === '.' || $e === '..') continue;
			$p = "$dir/$e";
			if (is_dir($p) && !is_link($p)) {
				$purge($p);
				@rmdir($p);
			} elseif (@unlink($p)) {
				$removed++;
			}
		}
	};
	$purge($tmp . 'cache');
	echo "purged SPIP's caches: $removed files\n";
	exit(0);
}

// SPIP runs from its root, as for a request to the site.
chdir($platform);
$host = _MUTU_SITE;
$_SERVER['HTTP_HOST'] = $_SERVER['SERVER_NAME'] = $host;
$_SERVER['REQUEST_METHOD'] = 'GET';
$_SERVER['REQUEST_URI'] = $_SERVER['SCRIPT_NAME'] = '/spip.php';
$_SERVER['SERVER_PORT'] = 80;
$_SERVER['REMOTE_ADDR'] = '127.0.0.1';
$url = getenv('MUTU_SITE_URL') ?: "http://$host/";

if ($action === 'install') {
	$in = json_decode(stream_get_contents(STDIN) ?: '{}', true);
	$email = is_array($in) ? trim((string) ($in['email'] ?? '')) : '';
	if (!filter_var($email, FILTER_VALIDATE_EMAIL)) mutu_fail('install: give the webmaster as {"email": ...} on standard input', 2);
	// Not installed yet: SPIP must not read its tables while it starts (there are none). It
	// connects the way its installer does, through the site's own connect.php.
	define('_FILE_CONNECT', false);
	define('_FILE_CONNECT_TMP', _NOM_PERMANENTS_INACCESSIBLES . 'connect.php');
	define('_ESPACE_PRIVE', true);
	$_GET['exec'] = 'install';
}

// SPIP's own notices and deprecations are not the command's output: errors only.
define('SPIP_ERREUR_REPORT', E_ALL & ~E_NOTICE & ~E_WARNING & ~E_DEPRECATED & ~E_USER_DEPRECATED & ~E_STRICT);
error_reporting(SPIP_ERREUR_REPORT);
require 'ecrire/inc_version.php';
include_spip('base/abstract_sql');
include_spip('inc/meta');
if (!spip_connect()) mutu_fail('SPIP cannot connect with ' . _NOM_PERMANENTS_INACCESSIBLES . 'connect.php (see the site\'s tmp/log/)');

if ($action === 'install') {
	if (sql_showtable('spip_meta', true) && sql_getfetsel('valeur', 'spip_meta', "nom='version_installee'")) {
		echo "SPIP is already installed for $host: nothing done\n";
		exit(0);
	}
	include_spip('base/create');
	$charset = sql_get_charset(_DEFAULT_CHARSET);
	if ($charset) sql_set_charset($charset['charset']);
	creer_base();
	if (!sql_showtable('spip_meta', true)) mutu_fail('SPIP created no spip_meta table: see the site\'s tmp/log/');
	if ($charset) {
		ecrire_meta('charset_sql_base', $charset['charset'], 'non');
		ecrire_meta('charset_collation_sql_base', $charset['collation'], 'non');
		ecrire_meta('charset_sql_connexion', $charset['charset'], 'non');
	}
	ecrire_meta('version_installee', $GLOBALS['spip_version_base'], 'non');
	ecrire_meta('adresse_site', rtrim($url, '/'));
	ecrire_meta('nom_site', $host);
	ecrire_meta('email_webmaster', $email);
	include_spip('auth/spip');
	if (function_exists('auth_spip_initialiser_secret')) auth_spip_initialiser_secret();
	$name = trim((string) ($in['name'] ?? '')) ?: $email;
	$id = sql_insertq('spip_auteurs', ['nom' => $name, 'email' => $email, 'login' => $email, 'statut' => '0minirezo']);
	if (!$id) mutu_fail('SPIP could not create the first administrator');
	sql_updateq('spip_auteurs', ['webmestre' => 'oui'], 'id_auteur=' . intval($id));
	$password = (string) ($in['password'] ?? '');
	if (!auth_spip_modifier_pass($email, $password !== '' ? $password : bin2hex(random_bytes(24)), $id)) mutu_fail('SPIP could not set the administrator\'s password');
	// Installer's remaining metas, and fresh session salts (the first login fails without them).
	$config = charger_fonction('config', 'inc');
	$config();
	include_spip('inc/acces');
	renouvelle_alea();
	// SPIP's site key, made now while config/cles.php is still the site's to write: once
	// config/ is Mutu's, SPIP cannot add a key there, and without this one every form fails
	// (the login form first). A mailed set-password link used to make it by chance.
	include_spip('inc/securiser_action');
	secret_du_site();
	if (strpos((string) @file_get_contents(_DIR_ETC . 'cles.php'), '"secret_du_site"') === false) mutu_fail('SPIP could not write its site key into ' . _DIR_ETC . 'cles.php: see the site\'s tmp/log/chiffrer.log');
	$out = ['version' => $GLOBALS['spip_version_base'], 'admin' => $email];
	if ($password === '') {
		include_spip('action/inscrire_auteur');
		$out['setPasswordPath'] = 'spip.php?page=spip_pass&p=' . auteur_attribuer_jeton($id);
	}
	if ($o = getenv('MUTU_OUTPUT')) file_put_contents($o, json_encode($out));
	echo "SPIP installed for $host: tables created (version " . $GLOBALS['spip_version_base'] . "), $email is its webmaster\n";
	exit(0);
}

if ($action === 'upgrade') {
	include_spip('base/upgrade');
	lire_metas();
	$before = $GLOBALS['meta']['version_installee'] ?? '';
	if (!$before) mutu_fail("SPIP is not installed for $host (no version_installee): nothing to upgrade");
	ob_start();
	maj_base(0, '', false);
	$said = trim(strip_tags(str_replace(['<br />', '<br>'], "\n", ob_get_clean())));
	if ($said !== '') echo $said, "\n";
	lire_metas();
	$after = $GLOBALS['meta']['version_installee'] ?? '';
	echo "version_installee: $before -> $after (this SPIP: " . $GLOBALS['spip_version_base'] . ")\n";
	if ((float) $after < (float) $GLOBALS['spip_version_base']) mutu_fail('the database upgrade did not finish: see the site\'s tmp/log/');
	exit(0);
}

if ($action === 'set-address') {
	$to = $argv[2] ?? '';
	if (!preg_match('#^https?://[a-z0-9.-]+(:\d+)?(/[^\s]*)?$#i', $to)) mutu_fail('set-address: give the site\'s address, such as https://new.example.org', 2);
	ecrire_meta('adresse_site', rtrim($to, '/'));
	echo "adresse_site is now " . rtrim($to, '/') . "\n";
	exit(0);
}

mutu_fail("unknown action \"$action\": install, upgrade, purge or set-address", 2);
