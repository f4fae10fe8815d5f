/**
 * Retention: what is older than so many days is deleted, once at start-up and every hour after (0 days
 * keeps everything for ever). Used for the audit trail (`AUDIT_RETENTION_DAYS`) and for finished
 * deletion jobs (`JOB_RETENTION_DAYS`). Pruning runs in the background and never blocks a request; a
 * failure is logged and tried again at the next hour.
 */
import type { Logger } from './logger.js';

const PRUNE_EVERY_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A store that can delete what is older than a moment, saying how much it deleted. */
export interface Prunable {
  /** Where it is (a PostgreSQL host and database, a directory): never a password. */
  readonly description: string;
  prune(before: Date): Promise<number>;
}

export interface Retention {
  /** Stops the schedule and waits for a prune in progress. */
  stop(): Promise<void>;
}

/** Prunes `store` of what is older than `days`; `what` names it in the log ("audit records"). */
export function scheduleRetention(store: Prunable, days: number, logger: Logger, what: string): Retention {
  if (days === 0) return { stop: () => Promise.resolve() };
  let running: Promise<void> = Promise.resolve();
  const prune = (): void => {
    running = (async () => {
      const before = new Date(Date.now() - days * DAY_MS);
      try {
        const removed = await store.prune(before);
        if (removed > 0) logger.info({ store: store.description, before: before.toISOString(), removed }, `${what} past retention deleted`);
      } catch (error) {
        logger.warn({ store: store.description, err: error instanceof Error ? error.message : String(error) }, `${what}: retention failed; trying again in an hour`);
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
