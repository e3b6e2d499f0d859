import { NETWORK_ENGINES, listDbServers, pingServer, serverAddress } from '../databases/servers';
import { errorText, fail, ok, type CheckResult } from './check';

/** Each registered MariaDB/MySQL or PostgreSQL server answers with its stored admin credentials. */
export async function checkDbServers(): Promise<CheckResult[]> {
  let servers;
  try {
    servers = (await listDbServers()).filter((s) => (NETWORK_ENGINES as readonly string[]).includes(s.engine));
  } catch (err) {
    return [fail('database servers', `cannot list them: ${errorText(err)}`)];
  }
  if (servers.length === 0) return [ok('database servers', 'none registered (sites use the embedded SQLite)')];
  return Promise.all(
    servers.map(async (server): Promise<CheckResult> => {
      const name = `database server ${server.name}`;
      const where = `${server.engine} ${serverAddress(server)}`;
      if (server.status === 'retired') return ok(name, `${where}: retired, not checked`);
      const result = await pingServer(server);
      if (result.ok) return ok(name, `${where}: ${result.version}`);
      return fail(name, `${where}: ${result.error}; start the server or fix its address and admin credentials`);
    }),
  );
}
