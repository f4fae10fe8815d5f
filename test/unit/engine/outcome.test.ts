/**
 * The one outcome shape and its one grouping function (src/engine/outcome.ts), as a table: what the
 * mutation's answer, the spans and the engine tests read.
 */
import { describe, expect, it } from 'vitest';
import { countOutcome, DELETED, DELETED_BY_CHECK, failed, groupOutcome, NOT_DELETED, uniformFailure, UNKNOWN, type Settlement } from '../../../src/engine/outcome.js';
import { failure } from '../../../src/tencent/codes.js';

const throttled = failure('RequestLimitExceeded', 'first');
const throttledAgain = failure('RequestLimitExceeded', 'second');
const invalid = failure('InvalidParameter.InvalidCSRId', 'bad');

describe('groupOutcome', () => {
  it('lists each kind in the order settled, failures one group per code ordered by code, the first failure of a code standing for all', () => {
    const settlements = new Map<number, Settlement>([
      [7, failed(throttled)],
      [3, DELETED],
      [9, failed(invalid)],
      [1, NOT_DELETED],
      [5, failed(throttledAgain)],
      [2, UNKNOWN],
      [4, DELETED],
    ]);
    const grouped = groupOutcome({ settlements, requestIds: new Map([[3, ['r2', 'r1']], [4, ['r1']], [9, ['r3']]]) });
    expect(grouped).toEqual({
      deleted: [3, 4],
      notDeleted: [1],
      unknown: [2],
      failed: [
        { failure: invalid, ids: [9] },
        { failure: throttled, ids: [7, 5] },
      ],
      requestIds: ['r2', 'r1', 'r3'],
    });
  });

  it('groups nothing into empty lists', () => {
    expect(groupOutcome({ settlements: new Map() })).toEqual({ deleted: [], notDeleted: [], unknown: [], failed: [], requestIds: [] });
  });
});

describe('countOutcome', () => {
  it('counts each kind, a deletion found by a check as deleted, failures of every code as failed', () => {
    const settlements = [failed(throttled), DELETED, failed(invalid), NOT_DELETED, DELETED_BY_CHECK, UNKNOWN, DELETED];
    expect(countOutcome(settlements)).toEqual({ deleted: 3, notDeleted: 1, unknown: 1, failed: 2 });
  });

  it('counts nothing as zeros', () => {
    expect(countOutcome([])).toEqual({ deleted: 0, notDeleted: 0, unknown: 0, failed: 0 });
  });
});

describe('uniformFailure (the top-level error rule)', () => {
  it.each<[string, Settlement[], string | undefined]>([
    ['every ID failed with one code: the first failure of it', [failed(throttled), failed(throttledAgain)], 'first'],
    ['two codes', [failed(throttled), failed(invalid)], undefined],
    ['one ID otherwise settled', [failed(throttled), UNKNOWN], undefined],
    ['no IDs', [], undefined],
  ])('%s', (_name, settlements, message) => {
    expect(uniformFailure(settlements)?.message).toBe(message);
  });
});
