/**
 * Which real servers this run has. tests/run.js probes them and passes what it found;
 * a suite that needs a missing one is skipped with the reason, except under CI where
 * tests/run.js refuses to start without them.
 */
export const services = {
  mysqlUrl: process.env.MUTU_TEST_MYSQL_URL || '',
  postgresUrl: process.env.MUTU_TEST_POSTGRES_URL || '',
  chromium: process.env.MUTU_TEST_CHROMIUM || '',
  /** PHP reads the SPIP connection files as SPIP does */
  php: process.env.MUTU_TEST_PHP || '',
};
