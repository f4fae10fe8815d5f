/**
 * The page: the gateway's URL and the caller's token, then one mode at a time — delete a few IDs now
 * (one mutation, below), run a bulk job (bulk.ts), or browse the account's CSRs, plan and delete
 * them (browse.ts). Plain DOM, so that the example is the GraphQL
 * client and the result handling, not a framework. Every text from the gateway goes into the page as
 * text, never as HTML; the token stays in its password field (never stored, logged or put in a URL).
 */
import { setUpBrowseMode } from './browse.js';
import { setUpBulkMode } from './bulk.js';
import { deleteCSRs, describeFailure, type Caller } from './client.js';
import { element, setUpTabs, textRow } from './dom.js';
import { outcomesById, parseIds, type BatchDeleteCSRsResult, type IdOutcome } from './outcomes.js';
import './style.css';

const gateway = element<HTMLInputElement>('input[name=gateway]');
const token = element<HTMLInputElement>('input[name=token]');
gateway.value = import.meta.env.VITE_GATEWAY_URL ?? 'http://localhost:4000/graphql';
/** Who calls, read at the moment of each request. */
const caller = (): Caller => ({ url: gateway.value, token: token.value.trim() });

const showPanel = setUpTabs(element<HTMLElement>('[role=tablist]'));
setUpBrowseMode(caller, setUpBulkMode(caller), showPanel);

// Delete now: one batchDeleteCSRs mutation, its answer one row per ID.
const form = element<HTMLFormElement>('#delete-form');
const idsField = element<HTMLTextAreaElement>('textarea[name=ids]');
const submit = element<HTMLButtonElement>('#delete-form button[type=submit]');
const status = element<HTMLParagraphElement>('#status');
const table = element<HTMLTableElement>('#outcomes');
const requestIds = element<HTMLParagraphElement>('#request-ids');

function showStatus(text: string, refused = false): void {
  status.textContent = text;
  status.classList.toggle('refused', refused);
}

function row(outcome: IdOutcome): HTMLTableRowElement {
  const error = outcome.outcome === 'failed' ? outcome.error : undefined;
  return textRow(
    [
      ['id', String(outcome.id)],
      ['outcome', outcome.outcome],
      ['error', error ? `${error.type} (${error.code})` : ''],
      ['message', error?.message ?? ''],
      ['request-id', error ? (error.requestId ?? '—') : ''],
    ],
    outcome.outcome.replace(' ', '-'),
  );
}

function showResult(ids: readonly number[], result: BatchDeleteCSRsResult): void {
  const outcomes = outcomesById(ids, result);
  table.tBodies[0]?.replaceChildren(...outcomes.map(row));
  table.hidden = false;
  const count = (kind: IdOutcome['outcome']) => outcomes.filter((outcome) => outcome.outcome === kind).length;
  showStatus(`${count('deleted')} deleted, ${count('not deleted')} not deleted, ${count('unknown')} unknown, ${count('failed')} failed.`);
  const sent = result.__typename === 'BatchDeleteCSRsSuccess' ? result.requestIds : [];
  requestIds.textContent = sent.length > 0 ? `Tencent RequestIds: ${sent.join(', ')}` : '';
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const { ids, rejected } = parseIds(idsField.value);
  if (rejected.length > 0) return showStatus(`Not CSR IDs: ${rejected.join(', ')}`, true);
  if (ids.length === 0) return showStatus('Enter at least one CSR ID.', true);
  submit.disabled = true;
  showStatus(`Deleting ${ids.length} IDs…`);
  deleteCSRs(ids, caller())
    .then((result) => showResult(ids, result))
    .catch((error: unknown) => showStatus(describeFailure(error), true))
    .finally(() => (submit.disabled = false));
});
