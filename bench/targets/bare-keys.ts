/** The signing setup shared by the bare baselines: one Ed25519 key, as the queue server uses. */
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import type { JWTPayload } from 'jose';
import { TOKEN_ALGORITHM } from '../../src/verify/verify-signed-token.js';

/** A fresh key pair with its `kid`, and a signer for a payload and a `typ`. */
export async function bareKeys() {
  const { privateKey, publicKey } = await generateKeyPair(TOKEN_ALGORITHM, { crv: 'Ed25519' });
  const kid = await calculateJwkThumbprint(await exportJWK(publicKey));
  const sign = (payload: JWTPayload, typ: string) =>
    new SignJWT(payload).setProtectedHeader({ alg: TOKEN_ALGORITHM, typ, kid }).sign(privateKey);
  return { privateKey, publicKey, kid, sign };
}

/** Drains a request body into a string. */
export async function readBody(stream: AsyncIterable<Buffer>): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk.toString();
  return text;
}
