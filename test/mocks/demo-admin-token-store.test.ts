import { expect } from '@open-wc/testing';
import { createAdminTokenStore } from '../../demo/admin-token-store.js';

/** A Storage that refuses everything, like a sandboxed iframe's. */
const blocked = {
  getItem() {
    throw new DOMException('blocked', 'SecurityError');
  },
  setItem() {
    throw new DOMException('blocked', 'SecurityError');
  },
  removeItem() {
    throw new DOMException('blocked', 'SecurityError');
  },
} as unknown as Storage;

describe('the admin token store', () => {
  afterEach(() => sessionStorage.clear());

  it('keeps the token in sessionStorage only, and forgets it on demand', () => {
    const store = createAdminTokenStore();
    store.set('admin-token-1234567890');
    expect(sessionStorage.getItem('queue-gate-demo:admin-token')).to.equal(
      'admin-token-1234567890',
    );
    expect(localStorage.getItem('queue-gate-demo:admin-token')).to.equal(null);
    expect(createAdminTokenStore().get()).to.equal('admin-token-1234567890');
    store.clear();
    expect(store.get()).to.equal('');
  });

  it('keeps the token in memory where storage is blocked', () => {
    const store = createAdminTokenStore(blocked);
    store.set('admin-token-1234567890');
    expect(store.get()).to.equal('admin-token-1234567890');
    store.clear();
    expect(store.get()).to.equal('');
  });
});
