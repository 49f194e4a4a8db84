// Socket-level faults for browser tests, served by the test runner's own loopback server. A
// service worker (MSW) can only hand the page whole responses; a connection reset by the peer
// or a body cut off mid-stream has to come from a real socket, and a browser test cannot start
// a Node server itself. Nothing here runs outside the test runner.
//
//   /__fault/health          200 "ok" (tests check the plugin is installed)
//   /__fault/reset/...       the connection is reset before any answer (RST where supported)
//   /__fault/truncated/...   200 JSON whose Content-Length promises more than is sent

const PREFIX = /^\/__fault\/(health|reset|truncated)(?:\/|$)/;

/** A @web/dev-server plugin that answers `/__fault/*` with broken connections. */
export function faultProxyPlugin() {
  return {
    name: 'fault-proxy',
    serve(context) {
      const match = PREFIX.exec(context.path);
      if (!match) return undefined;
      const socket = context.req.socket;
      if (match[1] === 'health') return { body: 'ok', type: 'text' };
      // Koa must not answer on a socket that this plugin has already broken.
      context.respond = false;
      if (match[1] === 'reset') {
        if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
        else socket.destroy();
      } else {
        const body = JSON.stringify({
          serving: 12,
          issued: 40,
          status: 'open',
          padding: 'x'.repeat(64),
        });
        context.res.writeHead(200, {
          'Content-Type': 'application/json',
          'Content-Length': String(body.length),
          'Cache-Control': 'no-store',
        });
        context.res.write(body.slice(0, 20), () => socket.destroy());
      }
      return { body: ' ', type: 'text' };
    },
  };
}
