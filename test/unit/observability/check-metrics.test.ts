/**
 * The existence checks of lost answers, as Prometheus counts them (docs/contract.md §3): IDs found
 * present, found absent, or left unchecked by a failed check, under its code.
 */
import { expect, it } from 'vitest';
import { createMetrics } from '../../../src/observability/metrics.js';

it('counts checked IDs by what the check found, and a failed check under its code', async () => {
  const { registry, observer } = createMetrics({ processMetrics: false });
  observer.onCheck?.({ ids: 10, code: 'Success', present: 3, durationMs: 40 });
  observer.onCheck?.({ ids: 4, code: 'ResourceUnavailable', present: 0, durationMs: 12 });
  const text = await registry.metrics();
  expect(text).toContain('tencent_ssl_existence_checked_ids_total{result="present"} 3');
  expect(text).toContain('tencent_ssl_existence_checked_ids_total{result="absent"} 7');
  expect(text).toContain('tencent_ssl_existence_checked_ids_total{result="ResourceUnavailable"} 4');
});
