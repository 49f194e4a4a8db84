// The project's browser-test config plus the loopback fault proxy, for running the
// socket-level fault tests before `faultProxyPlugin()` is listed in web-test-runner.config.mjs:
//   npx web-test-runner --config test/support/fault-proxy.config.mjs "test/core/faults-socket.test.ts"
import base from '../../web-test-runner.config.mjs';
import { faultProxyPlugin } from '../../scripts/fault-proxy-plugin.mjs';

export default { ...base, plugins: [faultProxyPlugin(), ...base.plugins] };
