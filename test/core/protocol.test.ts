import { expect } from '@open-wc/testing';
import { PATHS, isValidRoomId, TICKET_DISCARD_CODES } from '../../src/protocol.js';

describe('protocol', () => {
  it('accepts well-formed room ids and refuses unsafe ones', () => {
    expect(isValidRoomId('demo')).to.equal(true);
    expect(isValidRoomId('Concert_2026-a')).to.equal(true);
    expect(isValidRoomId('')).to.equal(false);
    expect(isValidRoomId('-leading-dash')).to.equal(false);
    expect(isValidRoomId('../etc')).to.equal(false);
    expect(isValidRoomId('a'.repeat(65))).to.equal(false);
    expect(isValidRoomId(42)).to.equal(false);
  });

  it('builds endpoint paths with the room id encoded', () => {
    expect(PATHS.join('demo')).to.equal('/rooms/demo/join');
    expect(PATHS.state('a b')).to.equal('/rooms/a%20b/state');
  });

  it('never discards a ticket for transient failures', () => {
    expect(TICKET_DISCARD_CODES).to.not.include('overloaded');
    expect(TICKET_DISCARD_CODES).to.not.include('rate_limited');
    expect(TICKET_DISCARD_CODES).to.include('token_expired');
  });
});
