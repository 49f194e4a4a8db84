/** WCAG 2 colour contrast of computed colours, for the element's contrast tests. */

/** Relative luminance of a computed `rgb()`/`rgba()` colour (its alpha is ignored). */
export function luminance(color: string): number {
  const [r, g, b] = (color.match(/[\d.]+/gu) ?? []).slice(0, 3).map((part) => {
    const c = Number(part) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Contrast ratio of two computed colours, from 1 to 21. */
export function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}
