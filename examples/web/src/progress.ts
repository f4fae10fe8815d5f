/**
 * How far a job is, for a person: settled IDs (every outcome but pending) out of its total, as the
 * progress bar's value and as words. The percentage is rounded down, so that 100 % means every ID
 * has its outcome, never "almost".
 */
import type { Job } from './jobs.js';

const number = new Intl.NumberFormat('en');

export interface Progress {
  readonly settled: number;
  readonly total: number;
  readonly percent: number;
  /** For the progress bar's `aria-valuetext` and the page. */
  readonly text: string;
}

export function progressOf({ total, counts }: Pick<Job, 'total' | 'counts'>): Progress {
  const settled = total - counts.pending;
  const percent = total === 0 ? 100 : Math.floor((settled * 100) / total);
  return { settled, total, percent, text: `${number.format(settled)} of ${number.format(total)} IDs settled (${percent} %)` };
}

const STATUS_WORDS: Record<Job['status'], string> = {
  QUEUED: 'Queued: waiting for a gateway replica to take it.',
  RUNNING: 'Running.',
  COMPLETED: 'Completed: every ID has its outcome.',
  CANCELLED: 'Cancelled: IDs not sent by then were not sent (failed, Gateway.Cancelled).',
};

export function describeJob(job: Pick<Job, 'id' | 'status' | 'cancelRequested'>): string {
  const words = job.status === 'RUNNING' && job.cancelRequested ? 'Cancelling: waiting for the IDs in flight.' : STATUS_WORDS[job.status];
  return `Job ${job.id}: ${words}`;
}

export function formatCount(count: number): string {
  return number.format(count);
}

/**
 * A fresh idempotency key: 128 random bits in hex. `crypto.getRandomValues`, not `randomUUID`, which
 * browsers offer only to secure contexts (https or localhost), and the app may be served on neither.
 */
export function newIdempotencyKey(): string {
  return [...crypto.getRandomValues(new Uint8Array(16))].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
