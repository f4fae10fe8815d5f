/**
 * The migrations runner (src/migrations/runner.ts) on the machine's PostgreSQL, with migrations of
 * its own (not the job database's or the audit trail's): what is pending is applied in order and
 * recorded, once however many replicas start together, and a failing migration leaves nothing of its
 * run behind. Its statement splitter is a table test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresDriver } from '../../../src/jobs/sql.js';
import { applyMigrations, splitStatements, type Migration, type MigrationSet } from '../../../src/migrations/runner.js';
import { freshDatabase, type TestDatabase } from '../audit/support/postgres.js';

const FIRST: Migration = {
  version: 1,
  name: 'widgets',
  sql: `
    -- Two statements, as the real migrations have: a table and its index.
    CREATE TABLE widgets (id integer PRIMARY KEY, name text NOT NULL);
    CREATE INDEX widgets_by_name ON widgets (name);
  `,
};
const SECOND: Migration = { version: 2, name: 'widgets_colour', sql: 'ALTER TABLE widgets ADD COLUMN colour text' };
const BROKEN: Migration = { version: 3, name: 'broken', sql: 'ALTER TABLE no_such_table ADD COLUMN x text' };

const set = (migrations: readonly Migration[]): MigrationSet => ({ table: 'widget_migrations', lock: 0x57_49_44_47, migrations });

describe('splitStatements', () => {
  it.each([
    ['one statement, no semicolon', 'SELECT 1', ['SELECT 1']],
    ['statements and blank ends', '\n  CREATE TABLE a (x int);\n  CREATE TABLE b (y int);\n', ['CREATE TABLE a (x int)', 'CREATE TABLE b (y int)']],
    ['a comment with a semicolon in it is dropped', '-- first; then second\nSELECT 1; -- trailing; note\nSELECT 2;', ['SELECT 1', 'SELECT 2']],
    ['nothing but comments', '-- nothing; here\n', []],
  ])('%s', (_name, sql, statements) => {
    expect(splitStatements(sql)).toEqual(statements);
  });
});

describe('applyMigrations on PostgreSQL', () => {
  let database: TestDatabase;
  let driver: PostgresDriver;

  beforeAll(async () => {
    database = await freshDatabase();
    driver = new PostgresDriver(database.url, () => undefined);
  });
  afterAll(async () => {
    await driver?.close();
    await database?.drop();
  });

  const recorded = async () =>
    (await driver.query<{ version: number; name: string }>('SELECT version, name FROM widget_migrations ORDER BY version')).rows;

  it('rolls back a run whose migration fails: neither the migrations before it nor their records stay', async () => {
    await expect(driver.transaction((sql) => applyMigrations(sql, set([FIRST, BROKEN])))).rejects.toThrow(/no_such_table/);
    const tables = await driver.query<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_name LIKE 'widget%'");
    expect(tables.rows).toEqual([]);
  });

  it('applies what is pending once, however many replicas start together, and records each', async () => {
    const runs = await Promise.all(Array.from({ length: 4 }, () => driver.transaction((sql) => applyMigrations(sql, set([FIRST])))));
    expect(runs.flat()).toEqual([1]);
    expect(await recorded()).toEqual([{ version: 1, name: 'widgets' }]);
    // Both of the first migration's statements ran.
    const index = await driver.query("SELECT 1 FROM pg_indexes WHERE indexname = 'widgets_by_name'");
    expect(index.rows).toHaveLength(1);
  });

  it('applies only the migrations not yet recorded, in order; nothing when all are', async () => {
    expect(await driver.transaction((sql) => applyMigrations(sql, set([FIRST, SECOND])))).toEqual([2]);
    expect(await driver.transaction((sql) => applyMigrations(sql, set([FIRST, SECOND])))).toEqual([]);
    expect(await recorded()).toEqual([
      { version: 1, name: 'widgets' },
      { version: 2, name: 'widgets_colour' },
    ]);
    await driver.query("INSERT INTO widgets (id, name, colour) VALUES (1, 'a', 'red')");
  });
});
