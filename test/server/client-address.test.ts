/**
 * The client address behind N trusted proxies: the entry the outermost of them appended (the
 * Nth from the right), never what the client wrote to its left.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  MAX_TRUSTED_PROXIES,
  clientAddress,
  trustedProxyCount,
} from '../../src/server/client-address.js';

describe('clientAddress', () => {
  it('ignores X-Forwarded-For unless proxies are trusted', () => {
    assert.equal(clientAddress('6.6.6.6', '127.0.0.1', 0), '127.0.0.1');
    assert.equal(clientAddress(undefined, '127.0.0.1', 1), '127.0.0.1');
    assert.equal(clientAddress(undefined, undefined, 0), null);
  });

  it('takes the Nth entry from the right: what the trusted proxies appended', () => {
    // nginx: proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    assert.equal(clientAddress('203.0.113.7', '10.0.0.2', 1), '203.0.113.7');
    assert.equal(clientAddress('6.6.6.6, 203.0.113.7', '10.0.0.2', 1), '203.0.113.7');
    assert.equal(clientAddress('a, b, c, 203.0.113.7', '10.0.0.2', 1), '203.0.113.7');
    // A cloud load balancer, then nginx.
    assert.equal(clientAddress('203.0.113.7, 10.0.0.9', '10.0.0.2', 2), '203.0.113.7');
    assert.equal(clientAddress('6.6.6.6, 203.0.113.7, 10.0.0.9', '10.0.0.2', 2), '203.0.113.7');
    assert.equal(clientAddress('2001:db8::1,10.0.0.9', '10.0.0.2', 2), '2001:db8::1');
  });

  it('skips the empty entries a client may write', () => {
    assert.equal(clientAddress(', ,203.0.113.7', '10.0.0.2', 1), '203.0.113.7');
    assert.equal(clientAddress('6.6.6.6,, 203.0.113.7', '10.0.0.2', 1), '203.0.113.7');
    assert.equal(clientAddress(' , ', '10.0.0.2', 1), '10.0.0.2');
  });

  it('falls back to the connection when the header has fewer entries than trusted proxies', () => {
    assert.equal(clientAddress('203.0.113.7', '10.0.0.2', 2), '10.0.0.2');
    assert.equal(clientAddress('', '10.0.0.2', 1), '10.0.0.2');
  });
});

describe('trustedProxyCount', () => {
  it('reads a hop count, with true as one proxy', () => {
    assert.equal(trustedProxyCount(undefined), 0);
    assert.equal(trustedProxyCount(false), 0);
    assert.equal(trustedProxyCount(true), 1);
    assert.equal(trustedProxyCount(0), 0);
    assert.equal(trustedProxyCount(2), 2);
    assert.equal(trustedProxyCount(MAX_TRUSTED_PROXIES), MAX_TRUSTED_PROXIES);
  });

  it('refuses what is not a small whole number', () => {
    for (const bad of [-1, 1.5, Number.NaN, MAX_TRUSTED_PROXIES + 1, Infinity]) {
      assert.throws(() => trustedProxyCount(bad), RangeError, String(bad));
    }
  });
});
