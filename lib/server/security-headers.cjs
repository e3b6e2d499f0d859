// The headers every answer of the dashboard carries: Next's for what it serves (next.config.js),
// the front thread's for the static files it serves itself (lib/server/front-thread.cjs).
'use strict';

module.exports = [
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'same-origin' },
];
