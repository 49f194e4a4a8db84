import { expect } from '@open-wc/testing';
import {
  parseAdmitResponse,
  parseErrorResponse,
  parseJoinResponse,
  parseStateResponse,
} from '../../src/core/response-parsers.js';

const join = {
  ticket: 'a.b.c',
  seq: 3,
  serving: 1,
  position: 2,
  ratePerSec: 0.5,
  pollAfterMs: 2000,
  ticketExpiresAt: 1_800_000_000_000,
  holdSeconds: 600,
  status: 'open',
};
const state = {
  status: 'paused',
  serving: 1,
  issued: 9,
  ratePerSec: 0,
  pollAfterMs: 2000,
  updatedAt: 1,
};

describe('response-parsers', () => {
  it('accepts well-formed answers and drops unknown fields', () => {
    expect(parseJoinResponse({ ...join, extra: true })).to.deep.equal(join);
    expect(parseStateResponse({ ...state, opensAt: 5 })).to.deep.equal({ ...state, opensAt: 5 });
    expect(parseAdmitResponse({ admission: 'x.y.z', expiresAt: 9 })).to.deep.equal({
      admission: 'x.y.z',
      expiresAt: 9,
    });
  });

  it('refuses wrong types, negative or fractional counts, unknown statuses and oversized tokens', () => {
    const badJoins = [
      { ...join, seq: '3' },
      { ...join, seq: 0 },
      { ...join, serving: -1 },
      { ...join, serving: 1.5 },
      { ...join, ratePerSec: Number.NaN },
      { ...join, status: 'open-ish' },
      { ...join, ticket: '' },
      { ...join, ticket: 'x'.repeat(5000) },
      { ...join, ticket: undefined },
    ];
    for (const body of badJoins) expect(parseJoinResponse(body)).to.equal(null);
    expect(parseJoinResponse(null)).to.equal(null);
    expect(parseJoinResponse([join])).to.equal(null);
    expect(parseStateResponse({ ...state, issued: null })).to.equal(null);
    expect(parseStateResponse({ ...state, opensAt: 'soon' })).to.equal(null);
    expect(parseAdmitResponse({ admission: 'x', expiresAt: '9' })).to.equal(null);
  });

  it('reads the protocol error body, and nothing else', () => {
    expect(parseErrorResponse({ error: { code: 'token_expired', message: 'old' } })).to.deep.equal({
      code: 'token_expired',
      message: 'old',
    });
    expect(parseErrorResponse({ error: 'token_expired' })).to.equal(null);
    expect(parseErrorResponse('<html>')).to.equal(null);
  });
});
