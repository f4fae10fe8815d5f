/**
 * The example client (examples/delete-csrs.ts), with the generated BatchDeleteCSRsDocument, against a
 * rig: as a library, and run as a user would run it.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteCSRs, summarize } from '../../../examples/delete-csrs.js';
import { expectPartition, startRig, type Rig } from '../../support/gateway.js';

const EXAMPLE = fileURLToPath(new URL('../../../examples/delete-csrs.ts', import.meta.url));

/** Runs the example in its own Node process (through tsx, as docs/frontends.md says) and waits for it to exit. */
function runExample(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', EXAMPLE, ...args], { env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: typeof error?.code === 'number' ? error.code : error ? -1 : 0, stdout, stderr });
    });
  });
}

let rig: Rig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => {
  await rig?.close();
});

describe('the example client', () => {
  it('deletes through the generated document and gets a typed, complete answer', async () => {
    const ids = [1, 2, 0, 999_999];
    const result = await deleteCSRs(ids, { url: rig.url });

    expect(result.__typename).toBe('BatchDeleteCSRsSuccess');
    if (result.__typename !== 'BatchDeleteCSRsSuccess') return;
    expectPartition(result, ids);
    expect(result.deletedIds).toEqual([1, 2]);
    expect(result.errors.map((error) => [error.__typename, error.code, error.csrIds])).toEqual([
      ['InvalidCSRIdError', 'Gateway.InvalidCSRId', [0]],
    ]);
    expect(rig.simulator.store.has(1)).toBe(false);
    expect(summarize(result)).toEqual([
      'deleted: 1, 2',
      'not deleted (no such CSR): 999999',
      'InvalidCSRIdError Gateway.InvalidCSRId for 0: fix the input; retrying as is will not help',
      `Tencent RequestIds: ${result.requestIds.join(', ')}`,
    ]);
  });

  it('runs from the command line against a gateway, with an exit code a script can use', async () => {
    const deleted = await runExample(['7', '8'], { GATEWAY_URL: rig.url });
    expect(deleted.stderr).toBe('');
    expect(deleted.stdout).toContain('deleted: 7, 8\n');
    expect(deleted.code).toBe(0);
    expect(rig.simulator.store.has(7) || rig.simulator.store.has(8)).toBe(false);

    // Every ID refused alike: the error type itself, and a failing exit code.
    const refused = await runExample(['-5'], { GATEWAY_URL: rig.url });
    expect(refused.stdout).toMatch(/^InvalidCSRIdError Gateway\.InvalidCSRId for -5: fix the input/);
    expect(refused.code).toBe(1);
  });
});
