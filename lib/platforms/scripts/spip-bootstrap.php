<?php
// Mutu's bootstrap for SPIP platforms (SPIP's mutualisation): before SPIP starts, the folders of
// the site being served become SPIP's config/, IMG/, local/ and tmp/. The site is the one its
// PHP-FPM pool (or Mutu's command) names in MUTU_HOST, never the request's Host header. The
// platform reaches the farm's sites/ through its `sites` link, so SPIP's URLs of IMG/ and
// local/ are /sites/<host>/IMG/... Copied by Mutu next to its front; never a file of SPIP's.
if (!defined('_MUTU_SITE')) {
	$mutu_host = getenv('MUTU_HOST');
	if (is_string($mutu_host) && preg_match('/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/', $mutu_host)) {
		define('_MUTU_SITE', $mutu_host);
		define('_NOM_PERMANENTS_INACCESSIBLES', 'sites/' . $mutu_host . '/config/');
		define('_NOM_PERMANENTS_ACCESSIBLES', 'sites/' . $mutu_host . '/IMG/');
		define('_NOM_TEMPORAIRES_INACCESSIBLES', 'sites/' . $mutu_host . '/tmp/');
		define('_NOM_TEMPORAIRES_ACCESSIBLES', 'sites/' . $mutu_host . '/local/');
		// SPIP 4.1 creates MyISAM tables, whose key limit drops spip_meta in utf8mb4 databases.
		define('_MYSQL_ENGINE', 'InnoDB');
		// SPIP sets umask(0): without this its files would be readable and writable by all.
		define('_SPIP_CHMOD', 0750);
	}
	unset($mutu_host);
}
