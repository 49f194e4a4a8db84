/**
 * Where `<queue-gate>` gets the visitor's identity assertion from: the page's provider
 * (`identityProvider`), the assertion itself (`identity`), or a same-origin URL of the site that
 * answers it for the signed-in user (`identity-url`, `data-identity-url` on the script tag).
 */
import type { IdentityProvider } from '../core/identity-assertion.js';
import { fetchIdentity } from '../core/identity-url.js';

/** The element's identity settings, read each time the engine asks. */
export interface IdentitySettings {
  identity: string;
  identityProvider: (() => Promise<string | null>) | null;
  identityUrl: string;
}

/**
 * The engine's identity provider for `settings`: the provider wins over the assertion, which
 * wins over the URL. Read when asked, so a later sign-in needs no new engine.
 *
 * @example
 * ```ts
 * createQueueEngine({ endpoint, room, identity: identityFrom(gate) });
 * ```
 */
export function identityFrom(settings: IdentitySettings): IdentityProvider {
  return async () => {
    if (settings.identityProvider) return settings.identityProvider();
    if (settings.identity) return settings.identity;
    return settings.identityUrl ? fetchIdentity(settings.identityUrl) : null;
  };
}
