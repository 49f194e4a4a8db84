/**
 * Checks of a rendered `<queue-gate>` that a screenshot alone would not fail on: something
 * wider than its panel (WCAG 1.4.10 reflow), and a word split across two lines (Korean broken
 * inside a word, "4 s" parted from its number).
 */

/** The element's own nodes and the light-DOM nodes shown through its slots. */
function renderedRoots(el: HTMLElement): Node[] {
  const slotted = [...el.shadowRoot!.querySelectorAll('slot')].flatMap((slot) =>
    slot.assignedNodes({ flatten: true }),
  );
  return [el.shadowRoot!, ...slotted];
}

function elementsUnder(root: Node): Element[] {
  const own = root instanceof Element ? [root] : [];
  const descendants =
    root instanceof Element || root instanceof ShadowRoot ? [...root.querySelectorAll('*')] : [];
  return [...own, ...descendants];
}

function describe(element: Element): string {
  const part = element.getAttribute('part');
  const text = (element.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40);
  return `<${element.localName}${part ? ` part="${part}"` : ''}> "${text}"`;
}

/**
 * Elements that stick out of the panel (or of the element, when it shows no panel), and the
 * page itself when it scrolls sideways.
 *
 * @returns one description per offender; empty when everything fits
 */
export function overflowing(el: HTMLElement): string[] {
  const panel = el.shadowRoot!.querySelector('[part="panel"]') ?? el;
  const bounds = panel.getBoundingClientRect();
  const found: string[] = [];
  const page = document.documentElement;
  if (page.scrollWidth > page.clientWidth) {
    found.push(`the page scrolls sideways (${page.scrollWidth} > ${page.clientWidth} px)`);
  }
  if (bounds.right > page.clientWidth + 0.5) {
    found.push(`the panel ends at ${bounds.right} px, past the ${page.clientWidth} px screen`);
  }
  for (const element of renderedRoots(el).flatMap(elementsUnder)) {
    // The panel's own frame (the overlay around it) is not content of the panel.
    if (element.contains(panel) || element.closest('.visually-hidden')) continue;
    const box = element.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.right > bounds.right + 0.5 || box.left < bounds.left - 0.5) {
      found.push(
        `${describe(element)}: ${box.left}–${box.right} px, panel ${bounds.left}–${bounds.right} px`,
      );
    }
  }
  return found;
}

function textNodesUnder(root: Node): Text[] {
  if (root instanceof Text) return [root];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node as Text);
  return nodes;
}

/** How many lines the boxes of one word sit on (boxes of one line overlap vertically). */
function linesOf(rects: DOMRect[]): number {
  const lines: DOMRect[] = [];
  for (const rect of rects) {
    if (rect.width === 0) continue;
    const sameLine = lines.some((line) => rect.top < line.bottom - 2 && rect.bottom > line.top + 2);
    if (!sameLine) lines.push(rect);
  }
  return lines.length;
}

/**
 * Words drawn across a line break. A word is what lies between ordinary spaces, so a
 * no-break space keeps "4 s" or "12월 3일" one word that must stay on one line; a line may
 * also end after a dash or hyphen ("10–" | "35 min"), as the Unicode line-breaking rules allow.
 *
 * @returns the broken words; empty when every word sits on one line
 */
export function brokenWords(el: HTMLElement): string[] {
  const broken: string[] = [];
  for (const node of renderedRoots(el).flatMap(textNodesUnder)) {
    if (node.parentElement?.closest('.visually-hidden')) continue;
    const text = node.data;
    for (const match of text.matchAll(/[^ \t\n\r\f–-]+[–-]?/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      if (linesOf([...range.getClientRects()]) > 1) broken.push(match[0]);
    }
  }
  return broken;
}
