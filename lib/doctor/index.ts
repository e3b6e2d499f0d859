import { config, ConfigError, type Config } from '../config';
import { errorText, fail, ok, warn, type CheckResult } from './check';
import { checkDbServers } from './db-servers';
import { checkFront, checkPhpVersions } from './front';
import { checkDataFolder, checkFarmRoot, checkRegistryFiles, checkSecretKey } from './folders';
import { checkMail } from './mail';
import { checkRegistry } from './registry';
import { checkDumpTools } from './tools';
import { checkCertificates } from './tls';

export type { CheckResult, CheckStatus } from './check';

export interface DoctorReport {
  /** true when no check failed (warnings allowed) */
  ok: boolean;
  checks: CheckResult[];
}

function loadConfigCheck(): { cfg?: Config; check: CheckResult } {
  try {
    const cfg = config();
    return { cfg, check: ok('configuration', `data folder ${cfg.dataDir}, public URL ${cfg.publicUrl}`) };
  } catch (err) {
    const detail = err instanceof ConfigError ? err.problems.join('; ') : errorText(err);
    return { check: fail('configuration', detail) };
  }
}

/**
 * Everything Mutu needs to work, checked without changing anything that matters (a probe
 * file is created and removed; a missing farm root or outbox is created, the registry never).
 */
export async function runDoctor(): Promise<DoctorReport> {
  const { cfg, check } = loadConfigCheck();
  const checks: CheckResult[] = [check];
  if (cfg) {
    checks.push(checkFarmRoot(cfg), checkDataFolder(cfg), checkSecretKey(cfg), checkRegistryFiles(cfg));
    const registry = await checkRegistry(cfg);
    checks.push(registry);
    const registryDown = registry.status === 'fail';
    const notChecked = (name: string) => warn(name, 'not checked: the registry is not available');
    const [servers, tools, mail, php, front, certificates] = await Promise.all([
      registryDown ? [notChecked('database servers')] : checkDbServers(),
      checkDumpTools(),
      checkMail(cfg.mail),
      registryDown ? notChecked('PHP versions') : checkPhpVersions(),
      registryDown ? notChecked('front') : checkFront(),
      registryDown ? notChecked('certificates') : checkCertificates(cfg),
    ]);
    checks.push(...servers, ...tools, mail, php, front, certificates);
  }
  return { ok: checks.every((c) => c.status !== 'fail'), checks };
}
