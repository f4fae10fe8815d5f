/**
 * The audit domain: `Query.csrDeletionAudit` — who asked for the deletion of a CSR, when, in which
 * trace, and what came of it (docs/contract.md §4). Reading it takes the scope `csr:audit`
 * (FORBIDDEN otherwise), on top of whatever every operation needs; with auth off there are no scopes
 * to check, as for everything else.
 *
 * Records come newest first. `first` and `after` page through them: `after` is the `cursor` of the
 * last record of the previous page.
 */
import { createGraphQLError } from 'graphql-yoga';
import type { AUDIT_OUTCOMES} from '../audit/types.js';
import { type AuditConfirmation, type AuditPosition, type AuditRecord, type CallerAuth } from '../audit/types.js';
import { AUDIT_SCOPE } from '../operation/scopes.js';
import { builder } from './builder.js';
import { INTERNAL_TAG } from './tags.js';

export { AUDIT_SCOPE };
const DEFAULT_PAGE = 100;
const MAX_PAGE = 1_000;

export const OutcomeRef = builder.enumType('CSRDeletionOutcome', {
  description: 'What came of one CSR ID of one mutation.',
  values: {
    DELETED: { description: 'Tencent reported it deleted.' },
    NOT_DELETED: { description: 'Tencent answered for it but did not delete it (e.g. no such CSR).' },
    UNKNOWN: {
      description:
        "A call carrying it may have deleted it, but the answer was lost and no check could tell — or the gateway stopped before it could record the outcome (then settledAt is null).",
    },
    FAILED: { description: 'Not deleted by this mutation; code says why.' },
  } satisfies Record<(typeof AUDIT_OUTCOMES)[number], { description: string }>,
});

const CALLER_AUTH_NAMES = { jwt: 'JWT', key: 'API_KEY', anonymous: 'ANONYMOUS' } as const satisfies Record<CallerAuth, string>;

const CallerAuthRef = builder.enumType('CSRDeletionCallerAuth', {
  description: 'How a caller proved who it is.',
  values: {
    JWT: { description: "A JWT: the caller is its sub." },
    API_KEY: { description: "An API key: the caller is the key's configured name." },
    ANONYMOUS: { description: 'Nobody: caller authentication was off.' },
  },
});

export const ConfirmationRef = builder.enumType('CSRDeletionConfirmation', {
  description: '(extension) What established an outcome, when it was not the answer of the call that carried the ID.',
  values: {
    CHECK: {
      description:
        'The call that carried the ID lost its answer (a timeout, a reset, a 5xx, an answer without a Success list), and an ' +
        'existence check (DescribeCSR / DescribeCSRSet) then found the CSR gone. Its RequestIds are among the record\'s requestIds.',
    },
  } satisfies Record<AuditConfirmation, { description: string }>,
});

const RecordRef = builder.objectRef<AuditRecord>('CSRDeletionRecord').implement({
  description: 'One mutation asking for the deletion of one CSR, as the gateway recorded it.',
  fields: (t) => ({
    csrId: t.exposeInt('csrId', { description: 'The CSR the mutation asked to delete.' }),
    caller: t.exposeString('caller', {
      description: "The caller: the JWT's sub, or the API key's name (never the key); anonymous when auth was off.",
    }),
    callerAuth: t.field({
      type: CallerAuthRef,
      nullable: true,
      description:
        '(extension) How the caller proved who it is: JWT (caller is its sub), API_KEY (caller is the key\'s name) or ANONYMOUS ' +
        '(auth off). A JWT sub and an API key name can be the same text: this tells them apart. Null for records written before it was kept.',
      resolve: (record) => (record.callerAuth === null ? null : CALLER_AUTH_NAMES[record.callerAuth]),
    }),
    outcome: t.field({
      type: OutcomeRef,
      description: 'DELETED, NOT_DELETED, UNKNOWN or FAILED (UNKNOWN too while the mutation is in flight).',
      resolve: (record) => record.outcome,
    }),
    code: t.exposeString('code', { nullable: true, description: 'The error code when FAILED (a Tencent code or a Gateway.* code).' }),
    confirmedBy: t.field({
      type: ConfirmationRef,
      nullable: true,
      description:
        '(extension) CHECK when an existence check, not an answer, established the outcome (a DELETED whose call lost its answer). ' +
        'Null when the answer of a call that carried the ID did, or while nothing has.',
      resolve: (record) => record.confirmedBy,
    }),
    requestId: t.string({
      nullable: true,
      description:
        'The RequestId of the last Tencent call that carried this ID (the one whose answer settled it) — or, when confirmedBy is CHECK, of the check that did.',
      resolve: (record) => record.requestIds.at(-1) ?? null,
    }),
    requestIds: t.exposeStringList('requestIds', {
      description: '(extension) RequestIds of every Tencent call that carried this ID, retries included, oldest first.',
    }),
    traceId: t.exposeString('traceId', {
      nullable: true,
      description: "The W3C trace ID of the mutation's trace: the caller's, continued, or one the gateway began.",
    }),
    at: t.string({ description: 'When the mutation asked, ISO 8601 (UTC).', resolve: (record) => record.at.toISOString() }),
    settledAt: t.string({
      nullable: true,
      description: '(extension) When the outcome was recorded; null if it never was (still in flight, or the gateway stopped first).',
      resolve: (record) => record.settledAt?.toISOString() ?? null,
    }),
    cursor: t.string({
      description: '(extension) Pass as `after` to get the records that follow this one.',
      resolve: (record) => encodeCursor(record),
    }),
  }),
});

builder.queryField('csrDeletionAudit', (t) =>
  t.field({
    type: [RecordRef],
    // For operators, not product frontends: a router's contract variant that excludes `internal`
    // leaves it out of the public graph (docs/contract.md §6, tags.ts).
    tag: [INTERNAL_TAG],
    description:
      'Who asked for the deletion of a CSR, when, and what came of it: one record per mutation that asked, newest first. ' +
      'Requires the scope csr:audit.',
    args: {
      csrId: t.arg.int({ required: true, description: 'The CSR whose deletion records to return.' }),
      caller: t.arg.string({ description: '(extension) Only this caller’s records.' }),
      since: t.arg.string({ description: '(extension) Only records at or after this time (ISO 8601).' }),
      until: t.arg.string({ description: '(extension) Only records before this time (ISO 8601).' }),
      first: t.arg.int({ description: `(extension) At most this many records (1–${MAX_PAGE}, default ${DEFAULT_PAGE}).` }),
      after: t.arg.string({ description: '(extension) The cursor of the last record already seen.' }),
    },
    resolve: async (_root, args, context) => {
      if (context.caller && !context.caller.scopes.has(AUDIT_SCOPE)) {
        throw createGraphQLError(`Reading the audit trail requires the "${AUDIT_SCOPE}" scope.`, { extensions: { code: 'FORBIDDEN' } });
      }
      const read = context.auditRecords;
      if (!read) throw unavailable('This gateway keeps no audit trail.');
      const first = args.first ?? DEFAULT_PAGE;
      if (first < 1 || first > MAX_PAGE) throw badInput(`first must be between 1 and ${MAX_PAGE}.`);
      const since = args.since ? instant(args.since, 'since') : undefined;
      const until = args.until ? instant(args.until, 'until') : undefined;
      const after = args.after ? decodeCursor(args.after) : undefined;
      try {
        return await read({
          csrId: args.csrId,
          limit: first,
          ...(args.caller ? { caller: args.caller } : {}),
          ...(since ? { since } : {}),
          ...(until ? { until } : {}),
          ...(after ? { after } : {}),
        });
      } catch {
        throw unavailable('The audit store could not be read. Try again.');
      }
    },
  }),
);

function encodeCursor(record: AuditPosition): string {
  return Buffer.from(JSON.stringify([record.at.getTime(), record.submission])).toString('base64url');
}

function decodeCursor(cursor: string): AuditPosition {
  try {
    const [at, submission] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'number' && inRange(at) && typeof submission === 'string' && /^[0-9a-f-]{36}$/.test(submission)) {
      return { at: new Date(at), submission };
    }
  } catch {
    // Reported below.
  }
  throw badInput('after is not a cursor this field gave out.');
}

/**
 * ISO 8601 only — a date, or a date and time with seconds optional and a zone (`Z` or `±hh:mm`) —
 * within years 0000-9999: `new Date` alone takes `"1"` (the year 2001) and years no store can keep.
 */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

function inRange(time: number): boolean {
  return Number.isFinite(time) && time >= Date.parse('0000-01-01T00:00:00Z') && time <= LATEST;
}

function instant(value: string, name: string): Date {
  const date = new Date(value);
  if (!ISO_8601.test(value) || !inRange(date.getTime())) {
    throw badInput(`${name} must be an ISO 8601 time between the years 0000 and 9999, e.g. 2026-11-30T12:00:00Z.`);
  }
  return date;
}

function badInput(message: string): Error {
  return createGraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

function unavailable(message: string): Error {
  return createGraphQLError(message, { extensions: { code: 'AUDIT_UNAVAILABLE' } });
}
