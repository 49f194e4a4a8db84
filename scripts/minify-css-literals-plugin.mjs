// Minifies the CSS inside Lit `css` tagged templates of the CDN bundles: whitespace and comments
// are about a fifth of the element's shipped bytes and mean nothing to the browser.
// Only templates without `${}` interpolations are touched, so no expression can be broken.

/** @param {string} cssText */
export function minifyCss(cssText) {
  return cssText
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{}:;,>])\s*/g, '$1')
    .replace(/;}/g, '}')
    .trim();
}

/** A Rollup plugin applying {@link minifyCss} to every `css\`...\`` template in TypeScript sources. */
export function minifyCssLiterals() {
  return {
    name: 'minify-css-literals',
    transform(code, id) {
      if (!id.endsWith('.ts') || !code.includes('css`')) return null;
      let changed = false;
      const next = code.replace(/\bcss`([^`$]*)`/g, (_whole, body) => {
        changed = true;
        return `css\`${minifyCss(body)}\``;
      });
      return changed ? { code: next, map: null } : null;
    },
  };
}
