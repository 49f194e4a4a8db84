/**
 * The element's public surface, without side effects: importing this module defines nothing.
 * `src/index.ts` and `src/auto.ts` are the entries that register `<queue-gate>`.
 */
export { QueueGateElement } from './queue-gate-element.js';
export type { QueueGateColorScheme, QueueGateMode } from './queue-gate-properties.js';
export {
  QueueGateAdmitEvent,
  QueueGateAdmittedEvent,
  QueueGateBookedEvent,
  QueueGateChangeEvent,
  QueueGateErrorEvent,
  type AdmissionHandOff,
} from './events.js';
export {
  createLocalizer,
  loadTranslation,
  registerTranslation,
  registerTranslationLoader,
  resolveLanguage,
  type Localizer,
  type Translation,
  type TranslationLoader,
  type TranslationOverrides,
} from './localize.js';
export { en } from './translations/en.js';
export { ko } from './translations/ko.js';
export { type EngineFactory, type EngineFactoryOptions } from './default-engine.js';
export { type FetchLike } from './authorized-fetch.js';
export { TitleNudge, type TitleNudgeOptions } from './title-nudge.js';
export { fillAdmissionField } from './admission-handoff.js';
