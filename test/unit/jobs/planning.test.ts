/**
 * A plan's decisions (src/jobs/planning.ts), as tables: what a request asks for, how IDs divide, what
 * a deletion would take, and whether a stored plan may start a job.
 */
import { describe, expect, it } from 'vitest';
import { classify, estimate, PlanCode, planFate, planInput, type PlanInput, type PlanRequest } from '../../../src/jobs/planning.js';
import type { PlanRecord } from '../../../src/jobs/types.js';

describe('planInput', () => {
  const cases: Array<[string, PlanRequest, PlanInput['kind'], string | Partial<PlanInput>]> = [
    ['neither ids nor domain', {}, 'refused', PlanCode.IdsOrDomain],
    ['both ids and domain', { ids: [1], domain: 'a.example' }, 'refused', PlanCode.IdsOrDomain],
    ['nulls count as absent', { ids: null, domain: null }, 'refused', PlanCode.IdsOrDomain],
    ['an empty list', { ids: [] }, 'refused', PlanCode.EmptyIdList],
    ['more distinct IDs than a job carries', { ids: [1, 2, 3, 4, 5] }, 'refused', PlanCode.TooManyIds],
    ['duplicates count once against the limit', { ids: [1, 2, 3, 4, 4, 3, 2] }, 'ids', { valid: [1, 2, 3, 4], invalid: [] }],
    ['invalid IDs count against the limit', { ids: [1, 2, 3, 0, -1] }, 'refused', PlanCode.TooManyIds],
    ['IDs ≤ 0 are invalid, sorted and distinct', { ids: [5, 0, -7, 5, 0, 2] }, 'ids', { valid: [2, 5], invalid: [-7, 0] }],
    ['only invalid IDs', { ids: [0, -1] }, 'ids', { valid: [], invalid: [-1, 0] }],
    ['a domain', { domain: 'www.example.com' }, 'domain', { domain: 'www.example.com' }],
    ['a wildcard domain', { domain: '*.example.com' }, 'domain', { domain: '*.example.com' }],
    ['a blank domain', { domain: '   ' }, 'refused', PlanCode.InvalidDomain],
    ['an empty domain', { domain: '' }, 'refused', PlanCode.InvalidDomain],
    ['whitespace around a domain', { domain: ' a.example ' }, 'refused', PlanCode.InvalidDomain],
    ['a control character', { domain: 'a\u0000.example' }, 'refused', PlanCode.InvalidDomain],
    ['a domain of 256 characters', { domain: 'a'.repeat(256) }, 'refused', PlanCode.InvalidDomain],
    ['a domain of 255 characters', { domain: 'a'.repeat(255) }, 'domain', { domain: 'a'.repeat(255) }],
  ];
  it.each(cases)('%s', (_name, request, kind, expected) => {
    const input = planInput(request, 4);
    expect(input.kind).toBe(kind);
    if (typeof expected === 'string') expect(input).toMatchObject({ code: expected });
    else expect(input).toMatchObject(expected);
  });
});

describe('estimate', () => {
  it.each([
    [0, 103, 0, 0],
    [1, 103, 1, 0.103],
    [100, 103, 1, 0.103],
    [101, 103, 2, 0.206],
    [20_000, 103, 200, 20.6],
    [1_000_000, 52, 10_000, 520],
  ])('%i IDs with slots every %i ms: %i calls, %f s', (existing, slotMs, calls, seconds) => {
    const result = estimate(existing, 100, slotMs);
    expect(result.calls).toBe(calls);
    expect(result.seconds).toBeCloseTo(seconds, 9);
  });
});

describe('classify', () => {
  it('splits the valid IDs by the existence answer, keeping their order', () => {
    expect(classify([1, 2, 3, 7], new Set([3, 1, 99]))).toEqual({ existing: [1, 3], missing: [2, 7] });
    expect(classify([], new Set([1]))).toEqual({ existing: [], missing: [] });
  });
});

describe('planFate', () => {
  const plan: PlanRecord = {
    id: '00000000-0000-4000-8000-000000000000',
    caller: 'alice',
    domain: null,
    existingIds: [1],
    missingIds: [],
    invalidIds: [],
    requestIds: [],
    estimatedCalls: 1,
    estimatedSeconds: 0.1,
    createdAt: new Date(1_000),
    expiresAt: new Date(2_000),
  };
  it.each([
    ['no plan', undefined, 'alice', 1_500, 'unknown'],
    ["another caller's plan, unexpired", plan, 'bob', 1_500, 'unknown'],
    ["another caller's plan, expired: still unknown, not expired", plan, 'bob', 5_000, 'unknown'],
    ['its caller, before expiry', plan, 'alice', 1_999, 'ready'],
    ['its caller, at expiry', plan, 'alice', 2_000, 'expired'],
    ['its caller, after expiry', plan, 'alice', 9_000, 'expired'],
  ] as const)('%s', (_name, stored, caller, now, kind) => {
    expect(planFate(stored, caller, now).kind).toBe(kind);
  });
});
