/**
 * A DEMO identity issuer, so the demo page's live mode can show places bound to a signed-in
 * person without a real site: `GET /demo/identity?user=alice` answers an assertion for the
 * demo user `alice`, as a site's backend would for its signed-in user, and
 * `GET /demo/identity/settings` answers the room `identity` setting that trusts it.
 *
 * Not a sign-in of any kind: anyone may ask for an assertion of any demo user. Its key pair is
 * made when the server starts (never stored, so a restart unbinds demo rooms' trust in it), its
 * issuer is a fixed demo name, and only a room an admin configured with its settings accepts
 * what it signs. A site mints assertions for its own users behind its own login
 * (docs/identity.md).
 */
import type { Hono } from 'hono';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { JWK } from 'jose';
import { ApiError } from '../api-error.js';
import { jsonNoStore } from '../app-env.js';
import type { QueueAppEnv } from '../app-env.js';

/** The `iss` of demo assertions: plainly not a real site. */
export const DEMO_IDENTITY_ISSUER = 'queue-gate-demo-identity';

/** Lifetime of a demo assertion: short, as the protocol asks of every site. */
const LIFETIME_SECONDS = 120;

/** Demo user names: short, plain, and never mistaken for anything else. */
const DEMO_USER = /^[a-z][a-z0-9-]{0,31}$/;

interface DemoIssuer {
  sign(user: string): Promise<string>;
  settings: { issuer: string; jwks: { keys: JWK[] } };
}

async function createDemoIssuer(): Promise<DemoIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const kid = `demo-${Date.now().toString(36)}`;
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  return {
    settings: { issuer: DEMO_IDENTITY_ISSUER, jwks: { keys: [jwk] } },
    sign: (user) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
        .setIssuer(DEMO_IDENTITY_ISSUER)
        .setSubject(`demo:${user}`)
        .setIssuedAt()
        .setExpirationTime(`${LIFETIME_SECONDS}s`)
        .sign(privateKey),
  };
}

/** Registers the demo identity issuer's two routes (its key pair is made on first use). */
export function registerDemoIdentityRoutes(app: Hono<QueueAppEnv>): void {
  let issuer: Promise<DemoIssuer> | null = null;
  const demoIssuer = () => (issuer ??= createDemoIssuer());

  app.get('/demo/identity/settings', async () => jsonNoStore((await demoIssuer()).settings));

  app.get('/demo/identity', async (c) => {
    const user = c.req.query('user') ?? '';
    if (!DEMO_USER.test(user)) {
      throw new ApiError(
        400,
        'invalid_body',
        'user must be a demo user name: a-z, 0-9 and -, up to 32 characters.',
      );
    }
    return jsonNoStore({ identity: await (await demoIssuer()).sign(user), demo: true });
  });
}
