import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaLibSQL } from '@prisma/adapter-libsql';
import { registryUrl } from './lib/config/registry-url';

// The CLI migrates with the WASM schema engine through the same libSQL driver the app uses,
// so nothing native is downloaded and the registry URL comes from Mutu's own configuration.
export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  async adapter() {
    return new PrismaLibSQL({ url: registryUrl() });
  },
});
