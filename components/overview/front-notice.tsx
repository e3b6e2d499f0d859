/**
 * What the overview says when nothing serves the sites yet: plainly, with the command that
 * fixes it, rather than every site listed as down.
 */
export function FrontNotice() {
  return (
    <div role="status" className="mb-4 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900">
      <p className="font-semibold">Sites are not served yet</p>
      <p className="mt-1">
        No front web server is set up, so nothing answers for the sites and their health is not checked. On this machine, as root, run{' '}
        <code className="rounded bg-amber-100 px-1 font-mono text-xs">mutu front setup</code>: nginx and PHP-FPM then serve every site, each as its own
        Unix user (<code className="rounded bg-amber-100 px-1 font-mono text-xs">apt-get install nginx php8.2-fpm</code> first). Serving them with a web
        server of your own? Set <code className="rounded bg-amber-100 px-1 font-mono text-xs">MUTU_HEALTH_FRONT</code> to its address.
      </p>
    </div>
  );
}
