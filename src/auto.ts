/**
 * The script-tag entry (`dist/queue-gate.min.js`). It always defines `<queue-gate>`. When its
 * own `<script>` carries `data-room` (with `data-endpoint`, `data-lang`, and for a room that
 * binds places to the signed-in person `data-identity-url` and `data-sign-in-url`; for the
 * site's brand `data-title`, `data-logo`, `data-accent`, `data-background`, `data-text` or a
 * `<template data-queue-gate-brand>`), it gates the whole page: a `<queue-gate mode="overlay">`
 * covers it and everything else is `inert` and hidden until admission, after which every form of the page gets the `queue_admission` field and focus
 * moves to the first form's first field (or the main landmark).
 *
 * The script can only hide the page once it runs. A page that must stay closed when the script
 * fails to load (a blocked CDN, a typo in the URL) marks `<html data-queue-gate-pending>` itself
 * and hides its body with a few lines of CSS in `<head>` (docs/element.md, "Fail closed"); the
 * script then sets `data-queue-gate-loaded`, which that CSS uses to keep its "did not load"
 * message away, and removes `data-queue-gate-pending` on admission.
 *
 * @example
 * ```html
 * <script src="https://unpkg.com/queue-gate/dist/queue-gate.min.js"
 *   data-room="concert" data-endpoint="https://queue.example.org"></script>
 * ```
 *
 * @packageDocumentation
 */
import { fillAdmissionField } from './element/admission-handoff.js';
import { applyPageBrand, focusReleasedPage, type PageBrand } from './element/page-brand.js';
import { QueueGateElement } from './element/queue-gate-element.js';

QueueGateElement.define();

/** Attribute set on `<html>` while the page is gated; the style below hides the page under it. */
const PENDING = 'data-queue-gate-pending';
/** Attribute set on `<html>` once this script runs: the page's own "did not load" text goes. */
const LOADED = 'data-queue-gate-loaded';
/** Page elements made inert by the gate (and only those are released). */
const GATED = 'data-queue-gate-inert';

/** The `data-*` settings of the gating script tag (the brand's too: see {@link PageBrand}). */
export interface PageGateOptions extends PageBrand {
  room: string;
  endpoint?: string;
  lang?: string;
  /**
   * `data-identity-url`: a URL of the page's origin answering the signed-in visitor's identity
   * assertion (the element's `identity-url`), for rooms that bind places to the person.
   */
  identityUrl?: string;
  /** `data-sign-in-url`: the site's sign-in page, linked when the room needs a sign-in. */
  signInUrl?: string;
}

/**
 * Gates `doc`'s page: overlays a `<queue-gate>` and makes the rest of the body inert until
 * the visitor is admitted.
 *
 * @returns the overlay element
 */
export function gatePage(options: PageGateOptions, doc: Document = document): QueueGateElement {
  const root = doc.documentElement;
  // Set here too for pages without the fail-closed snippet (which sets it in the markup).
  root.setAttribute(PENDING, '');
  root.setAttribute(LOADED, '');
  // Hidden at once, before the body exists, so the page never flashes before the gate.
  const style = doc.createElement('style');
  style.textContent = `html[${PENDING}] body > :not(queue-gate) { visibility: hidden !important; }`;
  doc.head.append(style);

  const gate = doc.createElement('queue-gate');
  gate.mode = 'overlay';
  gate.room = options.room;
  if (options.endpoint) gate.endpoint = options.endpoint;
  if (options.lang) gate.setAttribute('lang', options.lang);
  if (options.identityUrl) gate.identityUrl = options.identityUrl;
  if (options.signInUrl) gate.signInUrl = options.signInUrl;
  applyPageBrand(gate, options, doc);

  const release = (admission: string) => {
    for (const element of doc.querySelectorAll<HTMLElement>(`[${GATED}]`)) {
      element.inert = false;
      element.removeAttribute(GATED);
    }
    root.removeAttribute(PENDING);
    fillAdmissionField(doc.forms, admission);
    focusReleasedPage(doc);
  };
  gate.addEventListener('queue-gate-admitted', (event) => release(event.admission));

  const mount = () => {
    for (const child of doc.body.children) {
      if (child === gate || !(child instanceof HTMLElement) || child.inert) continue;
      child.inert = true;
      child.setAttribute(GATED, '');
    }
    doc.body.append(gate);
  };
  // A script in the body runs before the rest of the body is parsed: wait for all of it.
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', mount, { once: true });
  else mount();
  return gate;
}

const script = document.currentScript;
if (script instanceof HTMLScriptElement && script.dataset.room) {
  const { room, endpoint, lang, identityUrl, signInUrl, title, logo } = script.dataset;
  const { accent, background, text } = script.dataset;
  gatePage({ room, endpoint, lang, identityUrl, signInUrl, title, logo, accent, background, text });
}
