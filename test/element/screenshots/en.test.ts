/** Screenshots of every screen in English; see `screenshot-suite.ts`. */
import { screenshotSuite } from './screenshot-suite.js';

screenshotSuite('en');
