/**
 * `AUDIT_RETENTION_DAYS`: records older than that are deleted, once at start-up and every hour after
 * (0 keeps them for ever). Pruning runs in the background and never blocks a mutation; a failure is
 * logged and tried again at the next hour.
 */
import type { Logger } from '../logger.js';
import type { AuditTrail } from './trail.js';

const PRUNE_EVERY_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface Retention {
  /** Stops the schedule and waits for a prune in progress. */
  stop(): Promise<void>;
}

export function scheduleRetention(trail: AuditTrail, days: number, logger: Logger): Retention {
  if (days === 0) return { stop: () => Promise.resolve() };
  let running: Promise<void> = Promise.resolve();
  const prune = (): void => {
    running = (async () => {
      const before = new Date(Date.now() - days * DAY_MS);
      try {
        const removed = await trail.prune(before);
        if (removed > 0) logger.info({ store: trail.description, before: before.toISOString(), removed }, 'audit records past retention deleted');
      } catch (error) {
        logger.warn({ store: trail.description, err: error instanceof Error ? error.message : String(error) }, 'audit retention failed; trying again in an hour');
      }
    })();
  };
  const first = setImmediate(prune);
  const every = setInterval(prune, PRUNE_EVERY_MS).unref();
  return {
    async stop() {
      clearImmediate(first);
      clearInterval(every);
      await running;
    },
  };
}
