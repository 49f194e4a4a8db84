import { expect } from '@open-wc/testing';
import { decodeMockToken, encodeMockToken } from '../../src/mocks/mock-token.js';

describe('mock tokens', () => {
  it('encodes claims as a three-part base64url token that decodes back', () => {
    const claims = { iss: 'queue-gate-mock', room: 'démo', seq: 7, note: '~~??>>' };
    const token = encodeMockToken('queue-gate-ticket+jwt', claims, 'n1');
    expect(token).to.match(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(decodeMockToken(token)).to.deep.equal(claims);
  });

  it('says in the header that it is unsigned', () => {
    const token = encodeMockToken('queue-gate-admission+jwt', {}, 'n');
    const header = JSON.parse(atob(token.split('.')[0])) as Record<string, unknown>;
    expect(header).to.include({ alg: 'none', typ: 'queue-gate-admission+jwt' });
  });

  it('gives different tokens for the same claims with different nonces', () => {
    expect(encodeMockToken('t', { a: 1 }, 'x')).to.not.equal(encodeMockToken('t', { a: 1 }, 'y'));
  });

  it('reads nothing from strings that are not JWT-shaped JSON objects', () => {
    expect(decodeMockToken('abc')).to.equal(null);
    expect(decodeMockToken('a.b')).to.equal(null);
    expect(decodeMockToken('a.!!.c')).to.equal(null);
    expect(decodeMockToken(`a.${btoa('[1]')}.c`)).to.equal(null);
    expect(decodeMockToken(`a.${btoa('{"x":')}.c`)).to.equal(null);
  });
});
