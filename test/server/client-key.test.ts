/**
 * What the per-client limits count: IPv4 addresses one by one, IPv6 addresses by the /64 a
 * subscriber is handed, so that one client cannot pass for millions by changing its address.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clientKey } from '../../src/server/client-key.js';

describe('clientKey', () => {
  it('keeps IPv4 addresses, also when a dual-stack socket maps them into IPv6', () => {
    assert.equal(clientKey('203.0.113.7'), '203.0.113.7');
    assert.equal(clientKey('::ffff:203.0.113.7'), '203.0.113.7');
    assert.equal(clientKey('::FFFF:198.51.100.1'), '198.51.100.1');
    assert.notEqual(clientKey('203.0.113.7'), clientKey('203.0.113.8'));
  });

  it('counts every address of one IPv6 /64 as one client, however it is written', () => {
    const one = clientKey('2001:db8:1:2::1');
    assert.equal(one, '2001:db8:1:2::/64');
    for (const same of [
      '2001:db8:1:2:aaaa:bbbb:cccc:dddd',
      '2001:0DB8:0001:0002:0000:0000:0000:0009',
      '[2001:db8:1:2::77]',
      '[2001:db8:1:2::77]:443',
      'fe80::1%eth0'.replace('fe80::1', '2001:db8:1:2::1'),
      '2001:db8:1:2::192.0.2.1',
    ]) {
      assert.equal(clientKey(same), one, same);
    }
  });

  it('tells other /64 networks apart, the shortest forms included', () => {
    assert.notEqual(clientKey('2001:db8:1:3::1'), clientKey('2001:db8:1:2::1'));
    assert.notEqual(clientKey('2001:db8::1'), clientKey('2001:db9::1'));
    assert.equal(clientKey('::1'), '0:0:0:0::/64');
    assert.equal(clientKey('2001:db8::'), '2001:db8:0:0::/64');
    assert.equal(clientKey('::2001:db8:1:2'), '0:0:0:0::/64');
  });

  it('leaves what is not an address as it is (a proxy wrote it; it is still one key)', () => {
    for (const other of ['unknown', '', 'not:an:address', '2001:db8::g']) {
      assert.equal(clientKey(other), other);
    }
  });
});
