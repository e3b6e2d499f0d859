import fs from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaLibSQL } from '@prisma/adapter-libsql';
import { PrismaPg } from '@prisma/adapter-pg';
import { makeRegistryPrivate } from './lib/config/private-files';
import { registryFile, registryLayout, registryProvider, registryUrl } from './lib/config/registry-url';

// The CLI migrates with the WASM schema engine through the same driver the app uses (libSQL
// or pg), so nothing native is downloaded and the registry URL comes from Mutu's own
// configuration; the schema and migrations are those of the registry's provider.
const url = registryUrl();
const provider = registryProvider(url);
const layout = registryLayout(provider);

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: layout.schema,
  migrations: { path: layout.migrations },
  async adapter() {
    if (provider === 'postgresql') return new PrismaPg({ connectionString: url });
    const file = registryFile(url);
    const folder = path.dirname(file);
    // libSQL cannot create a folder, and Prisma would only say "External error id#0".
    if (!fs.existsSync(folder)) {
      throw new Error(
        `The registry's folder ${folder} does not exist. Run \`npx mutu start\`, which creates it and migrates the registry, ` +
          `or create it (mkdir -p -m 700 ${folder}) and run this again; MUTU_DATA_DIR or MUTU_REGISTRY_URL say where the registry is.`,
      );
    }
    makeRegistryPrivate(file);
    return new PrismaLibSQL({ url });
  },
});
