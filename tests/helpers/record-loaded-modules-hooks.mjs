// The resolve hook of record-loaded-modules.mjs (module hooks run on a thread of their own).
import fs from 'node:fs';

let log;
export function initialize(data) {
  log = data.log;
}

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (log) fs.appendFileSync(log, `${resolved.url}\n`);
  return resolved;
}
