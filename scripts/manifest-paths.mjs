// The analyzer names the TypeScript sources (`src/element/x.ts`, or `/src/element/x.js` for a superclass), which are not packed: point the
// manifest at the modules users install (`dist/element/x.js`) so editors and tools can open them.
import { readFileSync, writeFileSync } from 'node:fs';

const SOURCE = /^\/?src\/(.+)\.[jt]s$/;

/** Rewrites every source path in the manifest at `file` to its built module. */
export function pointManifestAtDist(file) {
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  const rewrite = (value) => {
    if (typeof value === 'string') return value.replace(SOURCE, 'dist/$1.js');
    if (Array.isArray(value)) return value.map(rewrite);
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, rewrite(inner)]));
    }
    return value;
  };
  writeFileSync(file, `${JSON.stringify(rewrite(manifest), null, 2)}\n`);
}
