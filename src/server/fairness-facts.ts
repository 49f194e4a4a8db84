/**
 * Signs the facts of a fairness record: the draw's commitment (as made when the opening was
 * scheduled), its reveal (as frozen when it ran) and the published series, by digest.
 *
 * Why signed from the stored draw at every build rather than stored once: Ed25519 signatures
 * are deterministic, so every process sharing the store serves byte-identical tokens for as
 * long as they sign with the same key, and nothing new has to be kept in the store. The claims
 * come only from what the draw stored when it happened (`committedAt`, the `opensAt` of then,
 * `drawnAt`), never from the clock of the build. After a key rotation the same claims are
 * signed by the new key; a copy saved earlier keeps verifying while its key is published.
 *
 * A draw bound to a beacon names its round in the commitment, and its reveal carries the round
 * with its value: null while the frozen draw waits for it (a copy saved then proves the entrants
 * were fixed before the value existed), the value once it came.
 */
import { FAIRNESS_TOKEN_TYPES } from '../protocol.js';
import type {
  DrawCommitmentClaims,
  DrawRevealClaims,
  FairnessRecord,
  FairnessSeriesClaims,
  FairnessSignedFacts,
} from '../protocol.js';
import { countsDigest, entrantsDigest, seriesDigest } from './audit/fairness-digests.js';
import type { DrawRecord } from './store/queue-store.js';
import type { TokenSigner } from './token-signer.js';

const seconds = (ms: number): number => Math.floor(ms / 1000);

/** Signs the commitment, the reveal (once drawn) and the series of a record being built. */
export async function signFairnessFacts(
  signer: Pick<TokenSigner, 'signFact'>,
  room: string,
  draw: DrawRecord | null,
  record: Pick<FairnessRecord, 'series' | 'admissionsPerMinute' | 'updatedAt'>,
): Promise<FairnessSignedFacts> {
  const series: Omit<FairnessSeriesClaims, 'iss'> = {
    room,
    seriesDigest: await seriesDigest(record.series),
    countsDigest: await countsDigest(record.admissionsPerMinute),
    at: record.updatedAt,
    iat: seconds(record.updatedAt),
  };
  return {
    commitment: draw
      ? await signer.signFact(FAIRNESS_TOKEN_TYPES.commitment, commitment(room, draw))
      : null,
    reveal:
      draw?.drawnAt != null
        ? await signer.signFact(FAIRNESS_TOKEN_TYPES.reveal, await reveal(room, draw, draw.drawnAt))
        : null,
    series: await signer.signFact(FAIRNESS_TOKEN_TYPES.series, series),
  };
}

function commitment(room: string, draw: DrawRecord): Omit<DrawCommitmentClaims, 'iss'> {
  return {
    room,
    commitment: draw.commitment,
    opensAt: draw.opensAt,
    committedAt: draw.committedAt,
    iat: seconds(draw.committedAt),
    ...(draw.beacon ? { beacon: { ...draw.beacon } } : {}),
  };
}

async function reveal(
  room: string,
  draw: DrawRecord,
  drawnAt: number,
): Promise<Omit<DrawRevealClaims, 'iss'>> {
  return {
    room,
    commitment: draw.commitment,
    seed: draw.seed,
    entrants: new Set(draw.entrants).size,
    entrantsDigest: await entrantsDigest(draw.entrants),
    base: draw.base,
    drawnAt,
    iat: seconds(drawnAt),
    ...(draw.beacon
      ? {
          beacon: { id: draw.beacon.id, round: draw.beacon.round, value: draw.beaconValue ?? null },
        }
      : {}),
  };
}
