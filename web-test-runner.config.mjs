// Browser tests run in the system Chromium (the Debian `chromium` package or CHROME_PATH):
// test tools that download their own browser cannot work on these machines.
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { CHROMIUM_ARGS, findChrome } from './scripts/find-chrome.mjs';
import { mswWorkerPlugin } from './scripts/msw-worker-plugin.mjs';
import { faultProxyPlugin } from './scripts/fault-proxy-plugin.mjs';
import { screenshotPlugin } from './scripts/screenshot-plugin.mjs';

const executablePath = findChrome();

export default {
  files: ['test/core/**/*.test.ts', 'test/element/**/*.test.ts', 'test/mocks/**/*.test.ts'],
  nodeResolve: { exportConditions: ['browser', 'development'] },
  rootDir: '.',
  concurrency: 2,
  // Generous: axe checks of whole screens take seconds on a loaded 2-core machine.
  testFramework: { config: { timeout: 20000 } },
  browserStartTimeout: 60000,
  testsFinishTimeout: 180000,
  plugins: [
    faultProxyPlugin(),
    screenshotPlugin(),
    mswWorkerPlugin(),
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' }),
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath,
        headless: true,
        args: CHROMIUM_ARGS,
      },
    }),
  ],
};
