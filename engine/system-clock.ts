/** The wall clock the engine runs on: the one place its time enters (record/'s Hlc takes it through the Clock interface). */
import type { Clock } from '../record/index.js';

export const systemClock: Clock = { nowMs: () => Date.now() };
