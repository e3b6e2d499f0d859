// What `#db-guard` is in Next's server graph and in the browser's (package.json "imports"):
// Next's own `server-only`, so a client component that reaches the registry's client, even
// through other modules, fails the build instead of shipping it to browsers.
import 'server-only';
