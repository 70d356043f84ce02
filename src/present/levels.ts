import type { RiskLevel } from '../core/risk/types.js';
import type { Tone } from './view.js';

/**
 * The core speaks `low` / `medium` / `high`; a view speaks tones and words. This is the one place the
 * views map one to the other, so a level reads the same in /risk, /utilization and every other view.
 */
export const LEVEL_TONE: Record<RiskLevel, Tone> = { low: 'ok', medium: 'warn', high: 'critical' };
