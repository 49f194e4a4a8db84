// The modules loaded on demand (a second language, the rare screens), as chunks beside the
// script tag's bundles. The ESM twin splits them with Rollup; the classic script (IIFE), which
// Rollup cannot split, imports the very same chunk files, resolved from its own URL so that a
// CDN path works. That is why each of them must be a leaf: a chunk importing from the ESM
// entry would bring a second Lit and a second element into a classic-script page.
import { basename, extname, resolve } from 'node:path';

/** Source path → chunk file name, beside `queue-gate.min.js` and `queue-gate.esm.js`. */
export const LAZY_CHUNKS = Object.fromEntries(
  [
    'src/element/translations/ko.ts',
    'src/element/rare-screens.ts',
    'src/core/join-proof-solver.ts',
  ].map((path) => [resolve(path), `queue-gate-${basename(path, extname(path))}.js`]),
);

/** The variable the classic script keeps its own URL in (set while it runs, see below). */
const SCRIPT_URL = 'queueGateScriptUrl';

/** For the ESM twin: names the chunks and fails the build when one of them imports anything. */
export function lazyChunkNames() {
  return {
    name: 'lazy-chunk-names',
    outputOptions(options) {
      return {
        ...options,
        chunkFileNames: 'queue-gate-[name].js',
        manualChunks: (id) => LAZY_CHUNKS[id]?.replace(/^queue-gate-|\.js$/g, ''),
      };
    },
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk' || chunk.isEntry) continue;
        if (!Object.values(LAZY_CHUNKS).includes(chunk.fileName)) {
          this.error(`Unexpected chunk ${chunk.fileName}: add its module to LAZY_CHUNKS.`);
        }
        if (chunk.imports.length > 0 || chunk.dynamicImports.length > 0) {
          this.error(`${chunk.fileName} imports ${chunk.imports}: a lazy chunk must be a leaf.`);
        }
      }
    },
  };
}

/** For the classic script: the lazy modules stay out, imported from beside the script. */
export function lazyChunksFromScriptUrl() {
  return {
    name: 'lazy-chunks-from-script-url',
    async resolveDynamicImport(specifier, importer) {
      if (typeof specifier !== 'string') return null;
      const resolved = await this.resolve(specifier, importer, { skipSelf: true });
      const chunk = resolved && LAZY_CHUNKS[resolved.id];
      return chunk ? { id: `./${chunk}`, external: true } : null;
    },
    renderDynamicImport({ targetModuleId }) {
      if (!targetModuleId || !Object.values(LAZY_CHUNKS).includes(targetModuleId.slice(2))) {
        return null;
      }
      return { left: 'import(new URL(', right: `, ${SCRIPT_URL}).href)` };
    },
    outputOptions(options) {
      // `document.currentScript` is only set while the script first runs: keep it for later.
      const intro = `var ${SCRIPT_URL} = document.currentScript && document.currentScript.src || document.baseURI;`;
      return { ...options, intro };
    },
  };
}
