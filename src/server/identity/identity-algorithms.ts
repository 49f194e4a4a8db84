/**
 * The signing algorithms an identity assertion may use: asymmetric only, pinned. A shared
 * secret (HS256) would let the queue server mint assertions for anybody, and `none` lets
 * anybody do it.
 */
export const IDENTITY_ALGORITHMS: readonly string[] = ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'];
