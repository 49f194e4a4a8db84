/**
 * Hostile and odd tokens for the refusal tests. Building them is the one place where tokens are
 * assembled by hand: an attacker does not use a JOSE library's safe paths either.
 */
import { createHmac, createPublicKey } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, importJWK } from 'jose';
import type { JWK, JWTHeaderParameters, JWTPayload } from 'jose';

/** base64url of a JSON value. */
export function encodeSegment(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** The decoded header and payload of a compact JWS (no verification). */
export function decodeParts(token: string): { header: JWTHeaderParameters; payload: JWTPayload } {
  const [header, payload] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header!, 'base64url').toString('utf8')) as JWTHeaderParameters,
    payload: JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as JWTPayload,
  };
}

/** The same token with some claims changed and the original signature kept. */
export function tamper(token: string, changes: JWTPayload): string {
  const [header, , signature] = token.split('.');
  const { payload } = decodeParts(token);
  return `${header}.${encodeSegment({ ...payload, ...changes })}.${signature}`;
}

/** An unsecured token (`alg: none`) with the given claims. */
export function unsecured(header: Record<string, unknown>, payload: JWTPayload): string {
  return `${encodeSegment({ ...header, alg: 'none' })}.${encodeSegment(payload)}.`;
}

/**
 * The classic key-confusion attack: an HS256 token whose HMAC secret is the server's public
 * key (as PEM), which a verifier that trusts the header's `alg` would accept.
 */
export function hs256WithPublicKey(
  publicJwk: JWK,
  header: Record<string, unknown>,
  payload: JWTPayload,
): string {
  const pem = createPublicKey({ key: publicJwk as JsonWebKey, format: 'jwk' })
    .export({ type: 'spki', format: 'pem' })
    .toString();
  const input = `${encodeSegment({ ...header, alg: 'HS256' })}.${encodeSegment(payload)}`;
  const signature = createHmac('sha256', pem).update(input).digest('base64url');
  return `${input}.${signature}`;
}

/** Signs any header and claims with a private JWK, e.g. the server's own exported key. */
export async function signWith(
  privateJwk: JWK,
  header: Omit<JWTHeaderParameters, 'alg'>,
  payload: JWTPayload,
): Promise<string> {
  const key = await importJWK(privateJwk, 'EdDSA');
  return new SignJWT(payload).setProtectedHeader({ ...header, alg: 'EdDSA' }).sign(key);
}

/** A fresh Ed25519 private JWK that the server has never heard of. */
export async function foreignPrivateJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  return exportJWK(privateKey);
}
