import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isValidRoomId } from '../../src/protocol.js';

test('room ids are validated the same way in Node', () => {
  assert.equal(isValidRoomId('demo'), true);
  assert.equal(isValidRoomId('a/b'), false);
});
