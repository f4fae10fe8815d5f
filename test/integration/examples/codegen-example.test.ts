/**
 * examples/codegen/: a frontend repository with only the gateway's `schema.graphql` and its own
 * operations gets typed documents, the persisted-documents manifest and `possibleTypes` from the
 * standalone `codegen.ts` — run here in an empty folder, as that repository would run it, with the
 * versions its package.json pins (the same as the gateway's, whose node_modules it borrows).
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const EXAMPLE = join(ROOT, 'examples/codegen');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'codegen-example-'));
  await cp(EXAMPLE, dir, { recursive: true });
  await cp(join(ROOT, 'schema/schema.graphql'), join(dir, 'schema.graphql'));
  await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the standalone codegen example', () => {
  it('pins the code generator versions the gateway itself uses', async () => {
    const example = JSON.parse(await readFile(join(EXAMPLE, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    const gateway = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    for (const [name, version] of Object.entries(example.devDependencies)) {
      expect(gateway.devDependencies[name] ?? gateway.dependencies[name], name).toBe(version);
    }
  });

  it('generates typed documents, the manifest and possibleTypes from schema.graphql and the operations alone', async () => {
    await promisify(execFile)(process.execPath, [join(dir, 'node_modules/@graphql-codegen/cli/cjs/bin.js'), '--config', 'codegen.ts'], {
      cwd: dir,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' },
    });
    const documents = await readFile(join(dir, 'src/gql/graphql.ts'), 'utf8');
    expect(documents).toContain('export const BatchDeleteCSRsDocument');
    expect(documents).toMatch(/export type BatchDeleteCSRsMutationVariables = Exact<\{\s*ids: Array<number> \| number;\s*\}>/);
    // The same document, the same hash: a gateway loading either manifest accepts it.
    const manifest = JSON.parse(await readFile(join(dir, 'src/gql/persisted-documents.json'), 'utf8')) as Record<string, string>;
    const gatewayManifest = JSON.parse(await readFile(join(ROOT, 'schema/generated/persisted-documents.json'), 'utf8')) as Record<string, string>;
    expect(Object.keys(manifest)).toHaveLength(1);
    expect(gatewayManifest).toMatchObject(manifest);
    const possibleTypes = await readFile(join(dir, 'src/gql/possible-types.ts'), 'utf8');
    expect(possibleTypes).toContain('"TencentCloudError"');
  }, 120_000);
});
