/** Opens the sample booking page (`demo/booking.html`) for a room and a language. */
import type { BrowserContext, Page } from 'playwright-core';

/** The booking page's languages. */
export type BookingLang = 'en' | 'ko';

/**
 * The URL of the sample booking page for `room` in `lang`.
 *
 * @example
 * ```ts
 * bookingPageUrl('http://127.0.0.1:8787', 'r1', 'ko'); // …/booking.html?room=r1&lang=ko
 * ```
 */
export function bookingPageUrl(baseUrl: string, room: string, lang: BookingLang = 'en'): string {
  const url = new URL('/booking.html', baseUrl);
  url.searchParams.set('room', room);
  url.searchParams.set('lang', lang);
  return url.href;
}

/**
 * Opens a new tab of `context` on the booking page of `room`.
 *
 * @example
 * ```ts
 * const page = await openBookingPage(context, server.url, 'r1');
 * ```
 */
export async function openBookingPage(
  context: BrowserContext,
  baseUrl: string,
  room: string,
  lang: BookingLang = 'en',
): Promise<Page> {
  const page = await context.newPage();
  const response = await page.goto(bookingPageUrl(baseUrl, room, lang));
  if (!response?.ok()) {
    throw new Error(`The booking page answered ${response?.status() ?? 'nothing'}`);
  }
  return page;
}
