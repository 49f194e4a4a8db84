/** Screenshots of every screen in Korean; see `screenshot-suite.ts`. */
import { screenshotSuite } from './screenshot-suite.js';

screenshotSuite('ko');
