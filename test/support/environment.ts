/**
 * What the suite needs from the machine, overridable from the environment so that another machine
 * (a CI image, a laptop) can point it elsewhere: today's defaults are the team machine's.
 */

/** The shared Redis the Redis tests use, each on keys of its own. */
export const TEST_REDIS_URL = process.env['TEST_REDIS_URL'] || 'redis://127.0.0.1:6379';

/** Debian's headless-capable Chromium, driven by playwright-core (no test downloads a browser). */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';
