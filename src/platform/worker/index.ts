// The Workers platform: what the app needs that Workers can give today. Databases, the data folder and
// Argon2 are not here yet (no native libSQL, no local disk, no native addons on Workers), so the app is
// built without `data` and its data routes answer 503.
import { systemClock, type Assets, type Clock, type Logger } from '../ports.ts';
import { bundledAssets } from './assets.ts';
import { consoleLogger } from './log.ts';

export { bundledAssets } from './assets.ts';
export { consoleLogger } from './log.ts';
export type * from './types.ts';

export interface WorkerPlatform {
  runtime: 'workers';
  clock: Clock;
  log: Logger;
  assets: Assets;
}

export function workerPlatform(): WorkerPlatform {
  return { runtime: 'workers', clock: systemClock, log: consoleLogger(), assets: bundledAssets() };
}
