/**
 * The site's brand on the whole-page gate (script tag with `data-room`): a title, a logo and
 * colours from `data-*` attributes, or anything the page puts in a
 * `<template data-queue-gate-brand>`, so the visitor waits on a screen that names the site.
 */
import { firstFocusable } from './admission-handoff.js';

/** The brand settings of the gating script tag. */
export interface PageBrand {
  /** `data-title`: the site's or event's name, above the waiting information. */
  title?: string;
  /** `data-logo`: URL of a logo image (its alternative text is the title). */
  logo?: string;
  /** `data-accent`, `data-background`, `data-text`: CSS colours of the panel. */
  accent?: string;
  background?: string;
  text?: string;
}

const COLOURS = { accent: 'accent', background: 'background', text: 'text' } as const;

/**
 * Puts the page's brand on `gate`: the `<template data-queue-gate-brand>` content if the page
 * has one (elements without a `slot` go to `header`), else the title and logo of `brand`; and
 * the colours, each only when the browser reads it as a colour.
 */
export function applyPageBrand(gate: HTMLElement, brand: PageBrand, doc: Document): void {
  const template = doc.querySelector<HTMLTemplateElement>('template[data-queue-gate-brand]');
  if (template) {
    for (const node of [...template.content.cloneNode(true).childNodes]) {
      if (node instanceof Element && !node.hasAttribute('slot')) node.slot = 'header';
      if (node instanceof Element) gate.append(node);
    }
  } else {
    if (brand.logo) {
      const logo = doc.createElement('img');
      logo.slot = 'logo';
      logo.src = brand.logo;
      logo.alt = brand.title ?? '';
      logo.style.maxHeight = '3rem';
      gate.append(logo);
    }
    if (brand.title) {
      const title = doc.createElement('p');
      title.slot = 'header';
      title.textContent = brand.title;
      title.style.cssText = 'margin: 0 0 0.75rem; font-weight: 600; font-size: 1.125rem';
      gate.append(title);
    }
  }
  for (const [key, name] of Object.entries(COLOURS) as [keyof typeof COLOURS, string][]) {
    const value = brand[key];
    if (value && CSS.supports('color', value)) {
      gate.style.setProperty(`--queue-gate-${name}`, value);
    }
  }
}

/**
 * After admission, where a keyboard or screen-reader visitor continues: the first field of the
 * page's forms, else its main landmark (made focusable for this), as wrapped mode focuses the
 * revealed form's first field.
 */
export function focusReleasedPage(doc: Document): void {
  const field = firstFocusable([...doc.forms]);
  if (field) {
    field.focus();
    return;
  }
  const main = doc.querySelector<HTMLElement>('main, [role="main"]');
  if (!main) return;
  if (!main.hasAttribute('tabindex')) main.tabIndex = -1;
  main.focus();
}
