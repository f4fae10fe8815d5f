/**
 * Memory held per pending ID, in a process of its own (run with --expose-gc): an engine behind a
 * limiter that grants one call and then nothing for an hour, so every ID submitted after the first
 * call's stays pending; the heap is measured after a full collection before and after submitting.
 * Prints one JSON line on stdout. Run compiled, under plain node (see bench/support/build.ts).
 */
import { BatchingEngine } from '../../src/engine/engine.js';
import { LocalSpacingLimiter } from '../../src/engine/limiter.js';
import { instantUpstream } from './instant-upstream.js';

const [, , totalArg, perMutationArg] = process.argv;
const total = Number(totalArg);
const perMutation = Number(perMutationArg);
const collect = (globalThis as { gc?: () => void }).gc;
if (!collect || !Number.isInteger(total) || !Number.isInteger(perMutation)) {
  throw new Error('usage: node --expose-gc <compiled bench/targets/memory.js> <total IDs> <IDs per mutation>');
}

const engine = new BatchingEngine({
  client: instantUpstream('AKIDBENCHMEMORY'),
  limiter: new LocalSpacingLimiter({ callsPerSecond: 1 / 3_600 }), // one call an hour: everything stays pending
  maxPendingIds: total * 2,
});
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

await settle();
collect();
const before = process.memoryUsage();
const deadline = Date.now() + 3_600_000;
const answers: Promise<unknown>[] = [];
for (let start = 1; start <= total; start += perMutation) {
  const ids = Array.from({ length: Math.min(perMutation, total - start + 1) }, (_, i) => start + i);
  answers.push(engine.submit(ids, { deadline }));
}
await settle();
collect();
const after = process.memoryUsage();
const pending = engine.pendingIds;
process.stdout.write(
  `${JSON.stringify({
    submittedIds: total,
    idsPerMutation: perMutation,
    mutations: answers.length,
    pendingIds: pending,
    heapBytesPerPendingId: Math.round((after.heapUsed - before.heapUsed) / pending),
    heapGrowthMb: Math.round((after.heapUsed - before.heapUsed) / 1e5) / 10,
    rssGrowthMb: Math.round((after.rss - before.rss) / 1e5) / 10,
  })}\n`,
);
process.exit(0);
