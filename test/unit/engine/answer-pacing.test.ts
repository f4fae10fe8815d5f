/**
 * Answers handed over a few per event-loop turn (src/engine/answer-pacing.ts), in memory: the test
 * owns the clock and runs the turns itself, so "how many per turn" is exact.
 */
import { describe, expect, it } from 'vitest';
import { AnswerPacer, pacedAnswers } from '../../../src/engine/answer-pacing.js';
import { DELETED, type DeletionOutcome } from '../../../src/engine/outcome.js';
import type { DeleteEngine } from '../../../src/engine/types.js';

/** A pacer with a 4 ms budget, the test's clock, and turns that run only when the test says. */
function rig() {
  let clock = 0;
  const turns: (() => void)[] = [];
  const pacer = new AnswerPacer({ budgetMs: 4, now: () => clock, nextTurn: (fn) => turns.push(fn) });
  const handed: string[] = [];
  /** Asks the pacer to hand over `names`; each is recorded when its caller gets it. */
  const answer = (...names: string[]): void => {
    for (const name of names) {
      const passed = pacer.pass(name);
      if (typeof passed === 'string') handed.push(passed);
      else void passed.then((value) => handed.push(value));
    }
  };
  /** Ends the current turn after `workMs` of the callers' work; its waiting answers go out. */
  const endTurn = async (workMs = 0): Promise<void> => {
    clock += workMs;
    const turn = turns.shift();
    if (!turn) throw new Error('no turn was scheduled');
    turn();
    await Promise.resolve(); // the handed-over promises' callbacks
  };
  return { pacer, handed, answer, endTurn, turns };
}

const names = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => `#${from + i}`);

describe('AnswerPacer', () => {
  it('hands answers over at once while the turn has room (16 at the first estimate of 0.25 ms each)', () => {
    const { pacer, handed, answer } = rig();
    answer(...names(1, 20));
    expect(handed).toEqual(names(1, 16));
    expect(pacer.waiting).toBe(4);
  });

  it('hands waiting answers over in the following turns, in arrival order, none lost', async () => {
    const { handed, answer, endTurn, turns } = rig();
    answer(...names(1, 40));
    await endTurn(4); // 16 answers took 4 ms: the estimate holds
    expect(handed).toEqual(names(1, 32));
    answer('late'); // behind the queue, though this turn still has room for others
    await endTurn(4);
    expect(handed).toEqual([...names(1, 40), 'late']);
    await endTurn(1);
    expect(turns).toEqual([]); // nothing waits: no further turn is scheduled
  });

  it.each([
    // [ms the first 16 answers took, answers per turn after]
    [4, 16], // 0.25 ms each, as estimated
    [16, 8], // 1 ms each: (0.25 + 1) / 2 → 6, raised to the floor of 8
    [1, 25], // cheap: (0.25 + 0.0625) / 2 → 25
  ])('learns from a stretch that took %d ms: %d answers per turn', async (workMs, perTurn) => {
    const { pacer, answer, endTurn } = rig();
    answer(...names(1, 16));
    await endTurn(workMs);
    expect(pacer.perTurn).toBe(perTurn);
  });

  it('starts afresh once the queue has drained', async () => {
    const { handed, answer, endTurn } = rig();
    answer(...names(1, 17));
    await endTurn(4);
    await endTurn(0);
    answer('next');
    expect(handed).toEqual([...names(1, 17), 'next']);
  });
});

describe('pacedAnswers', () => {
  it("passes the engine's outcome, pending count and drain through", async () => {
    const outcome = { settlements: new Map([[1, DELETED]]), requestIds: new Map([[1, ['r']]]) } satisfies DeletionOutcome;
    let drained = false;
    const engine: DeleteEngine = {
      submit: () => Promise.resolve(outcome),
      drain: () => {
        drained = true;
        return Promise.resolve();
      },
      pendingIds: 7,
    };
    const paced = pacedAnswers(engine, new AnswerPacer());
    await expect(paced.submit([1], { deadline: Infinity })).resolves.toBe(outcome);
    expect(paced.pendingIds).toBe(7);
    await paced.drain();
    expect(drained).toBe(true);
  });
});
