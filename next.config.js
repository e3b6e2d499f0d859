import createNextIntlPlugin from 'next-intl/plugin';
import securityHeaders from './lib/server/security-headers.cjs';

// The language comes from i18n/request.ts (no locale in URLs).
const withNextIntl = createNextIntlPlugin('./i18n/request.ts');

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and WASM-backed packages stay in node_modules, loaded by Node as they are.
  serverExternalPackages: ['@prisma/client', '.prisma/client', '.prisma/client-pg', '@prisma/adapter-libsql', '@prisma/adapter-pg', '@libsql/client', 'libsql', 'mysql2', 'pg', 'nodemailer', 'acme-client'],
  experimental: { authInterrupts: true },
  poweredByHeader: false,
  async headers() {
    return [
      {
        source: '/:path*',
        headers: securityHeaders,
      },
    ];
  },
};

export default withNextIntl(nextConfig);
