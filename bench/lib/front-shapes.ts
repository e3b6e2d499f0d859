import fs from 'node:fs';
import path from 'node:path';
import {
  FASTCGI_PARAMS,
  renderFarmConf,
  renderPage,
  renderSiteLocations,
  renderSiteMap,
  renderSiteServer,
  siteServerFile,
  siteMapFile,
  spliceMapShard,
  socketPath,
  type FrontLayout,
  type SiteFront,
} from '../../lib/domain/front';
import { readText } from '../../lib/front/changes';
import { mapShardFiles } from '../../lib/front/files';

/*
 * The two shapes of nginx configuration the bench compares, for the same sites:
 * - `map`: Mutu's own (lib/domain/front.ts): one server for the farm, which finds a
 *   request's site through `map $host`, one small file of map lines per site;
 * - `servers`: the usual alternative, a file per site holding its own `server` blocks, doing
 *   what farm.conf does for it (aliases, public folders static only, private ones never
 *   served, PHP to the site's own pool, 503 when closed), plus a default server for unknown hosts.
 */
export type Shape = 'map' | 'servers';
export const SHAPES: Shape[] = ['map', 'servers'];

/** A site's own server blocks: what an admin writes for it when each site has its server. */
export function renderServerBlock(layout: FrontLayout, s: SiteFront): string {
  const listen = layout.listen.map((l) => `    listen ${l};`).join('\n');
  const pages = `    error_page 404 /.mutu/404.html;
    error_page 503 /.mutu/503.html;
    location ^~ /.mutu/ {
        internal;
        alias ${layout.nginxDir}/pages/;
    }`;
  const served = [s.host, ...s.aliases.filter((a) => a.serve).map((a) => a.host)];
  const redirected = s.aliases.filter((a) => !a.serve).map((a) => a.host);
  const body =
    s.state === 'closed'
      ? `    location / {
        return 503;
    }`
      : `    root ${s.codePath};
    index index.php index.html;
    client_max_body_size 64m;
${s.publicFolders
  .map(
    (f) => `    # Uploads and computed files: static only, never PHP.
    location ^~ /sites/${s.host}/${f}/ {
        root ${layout.farmRoot};
        try_files $uri =404;
    }`,
  )
  .join('\n')}
${renderSiteLocations(layout, socketPath(layout, s.unixUser)).trimEnd()}`;
  const main = `# ${s.host}: a server block per site (the shape compared with Mutu's map).
server {
${listen}
    server_name ${served.join(' ')};
    server_tokens off;
${pages}
${body}
}
`;
  if (!redirected.length) return main;
  return `${main}server {
${listen}
    server_name ${redirected.join(' ')};
    server_tokens off;
    return 301 $scheme://${s.host}$request_uri;
}
`;
}

function renderDefaultServer(layout: FrontLayout): string {
  return `# Unknown hosts: the neutral 404 page, never another site's content.
server_names_hash_max_size 262144;
server_names_hash_bucket_size 128;
server {
${layout.listen.map((l) => `    listen ${l} default_server;`).join('\n')}
    server_name _;
    server_tokens off;
    error_page 404 /.mutu/404.html;
    location ^~ /.mutu/ {
        internal;
        alias ${layout.nginxDir}/pages/;
    }
    location / {
        return 404;
    }
}
`;
}

/** A site's map lines spliced into its shard as on disk: the file a change of it rewrites, and its new text. */
export function mapChange(layout: FrontLayout, s: SiteFront): [string, string] {
  const file = siteMapFile(layout, s.host);
  return [file, spliceMapShard(readText(file), s.host, renderSiteMap(layout, s))!];
}

/** The file a change of a site rewrites in a shape, and its new text. */
export function siteChange(shape: Shape, layout: FrontLayout, s: SiteFront): [string, string] {
  return shape === 'map' ? mapChange(layout, s) : [path.join(layout.nginxDir, 'servers', `${s.host}.conf`), renderServerBlock(layout, s)];
}

/**
 * Writes a whole configuration of one shape in `layout.nginxDir` (its pages and FastCGI
 * parameters included) and returns the line that includes it in nginx's http block, with
 * the bytes written.
 */
export function writeShape(shape: Shape, layout: FrontLayout, sites: SiteFront[]): { include: string; bytes: number } {
  const dir = layout.nginxDir;
  const siteDir = path.join(dir, shape === 'map' ? 'sites' : 'servers');
  for (const d of [siteDir, path.join(dir, 'pages'), path.join(dir, 'empty')]) fs.mkdirSync(d, { recursive: true, mode: 0o755 });
  let bytes = 0;
  const put = (file: string, content: string) => {
    fs.writeFileSync(file, content, { mode: 0o644 });
    bytes += Buffer.byteLength(content);
  };
  put(path.join(dir, 'fastcgi_params'), FASTCGI_PARAMS);
  put(path.join(dir, 'pages', '404.html'), renderPage('404'));
  put(path.join(dir, 'pages', '503.html'), renderPage('503'));
  if (shape === 'map') {
    for (const f of mapShardFiles(layout, new Map(sites.map((s) => [s.host, renderSiteMap(layout, s)])))) if (f.content !== null) put(f.file, f.content);
    put(path.join(dir, 'farm.conf'), renderFarmConf(layout));
    put(siteServerFile(layout), renderSiteServer(layout));
    return { include: `include ${dir}/farm.conf;\n`, bytes };
  }
  for (const s of sites) put(...siteChange(shape, layout, s));
  put(path.join(dir, 'default.conf'), renderDefaultServer(layout));
  return { include: `include ${dir}/default.conf;\ninclude ${siteDir}/*.conf;\n`, bytes };
}
