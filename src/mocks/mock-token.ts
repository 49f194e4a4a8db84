/**
 * JWT-shaped strings for tests: reading the claims of a token (the simulator's are real, signed
 * ones) and forging unsigned look-alikes that a server must refuse.
 *
 * A forged token looks like the real server's tokens (three base64url parts, the protocol's
 * `typ` header, the protocol's claims) but is NOT signed: the signature part is a nonce and
 * `alg` is `none`.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function toBase64Url(text: string): string {
  let binary = '';
  for (const byte of encoder.encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(part: string): string {
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return decoder.decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
}

/**
 * Builds an unsigned, JWT-shaped token (a forgery for tests). The `nonce` stands where a
 * signature would be, so two tokens with the same claims still differ.
 *
 * @param typ - the protocol's `typ` header value (see `TOKEN_TYPES`)
 * @param claims - the payload
 * @param nonce - any unpredictable-enough string
 * @returns `header.payload.nonce`, each part base64url
 */
export function encodeMockToken(typ: string, claims: object, nonce: string): string {
  const header = toBase64Url(JSON.stringify({ alg: 'none', typ, kid: 'queue-gate-mock' }));
  return `${header}.${toBase64Url(JSON.stringify(claims))}.${toBase64Url(nonce)}`;
}

/**
 * Reads the payload of a JWT-shaped token without verifying anything (test helper: e.g. to
 * check the claims of a ticket or an admission the simulator handed out).
 *
 * @param token - a `header.payload.signature` string
 * @returns the parsed payload, or `null` when the token is not JWT-shaped JSON
 */
export function decodeMockToken(token: string): Record<string, unknown> | null {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]+$/.test(part))) return null;
  try {
    const payload: unknown = JSON.parse(fromBase64Url(parts[1]));
    return payload !== null && typeof payload === 'object' && !Array.isArray(payload)
      ? (payload as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
