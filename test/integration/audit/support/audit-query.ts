/** `Query.csrDeletionAudit` over HTTP, as an auditor sends it. */
import { graphql, type GraphQLResponse } from '../../../support/gateway.js';

export interface AuditRecordShape {
  csrId: number;
  caller: string;
  outcome: 'DELETED' | 'NOT_DELETED' | 'UNKNOWN' | 'FAILED';
  code: string | null;
  confirmedBy: 'CHECK' | null;
  requestId: string | null;
  requestIds: string[];
  traceId: string | null;
  at: string;
  settledAt: string | null;
  cursor: string;
}

const AUDIT_QUERY = /* GraphQL */ `
  query Audit($csrId: Int!, $caller: String, $since: String, $until: String, $first: Int, $after: String) {
    csrDeletionAudit(csrId: $csrId, caller: $caller, since: $since, until: $until, first: $first, after: $after) {
      csrId caller outcome code confirmedBy requestId requestIds traceId at settledAt cursor
    }
  }
`;

export function auditQuery(
  url: string,
  variables: { csrId: number; caller?: string; since?: string; until?: string; first?: number; after?: string },
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<{ csrDeletionAudit: AuditRecordShape[] }>> {
  return graphql(url, AUDIT_QUERY, variables, headers);
}

/** The records of one CSR (throws on GraphQL errors). */
export async function auditOf(url: string, csrId: number, headers: Record<string, string> = {}): Promise<AuditRecordShape[]> {
  const response = await auditQuery(url, { csrId }, headers);
  if (response.errors || !response.data) throw new Error(`GraphQL errors: ${JSON.stringify(response.errors)}`);
  return response.data.csrDeletionAudit;
}
