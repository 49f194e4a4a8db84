/**
 * Verifies one signed fact of a fairness record (or a ticket) against a JWK Set: the signature,
 * the pinned algorithm and the `typ`, nothing else. Facts carry no expiry, and an audit may look
 * at a ticket long after it lapsed, so the time claims are the checks' business, not this one's.
 * jose + WebCrypto only, so the demo runs it in a browser.
 */
import { compactVerify, createLocalJWKSet } from 'jose';
import type { JSONWebKeySet } from 'jose';

/** The only algorithm the server signs with. */
const ALGORITHMS = ['EdDSA'];
const utf8 = new TextDecoder();

/** A key set ready to verify many tokens. */
export type FactKeys = ReturnType<typeof createLocalJWKSet>;

/** Prepares `jwks` (as served at `/.well-known/jwks.json`) for {@link verifyFact}. */
export function factKeys(jwks: JSONWebKeySet): FactKeys {
  return createLocalJWKSet(jwks);
}

/**
 * The claims of `token` when its signature verifies with a key of `keys` and its `typ` is `typ`.
 *
 * @throws Error saying what is wrong (unknown key, bad signature, wrong type, not JSON)
 */
export async function verifyFact<Claims>(
  token: string,
  typ: string,
  keys: FactKeys,
): Promise<Claims & { iss: string }> {
  const { payload, protectedHeader } = await compactVerify(token, keys, {
    algorithms: ALGORITHMS,
  });
  if (protectedHeader.typ !== typ) {
    throw new Error(`typ is ${String(protectedHeader.typ)}, expected ${typ}`);
  }
  const claims: unknown = JSON.parse(utf8.decode(payload));
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
    throw new Error('the payload is not a JSON object');
  }
  return claims as Claims & { iss: string };
}
