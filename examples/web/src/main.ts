/**
 * The page: a form (gateway URL, token, IDs) and a table with one row per ID. Plain DOM, so that
 * the example is the GraphQL client and the result handling, not a framework. Every text from the
 * gateway goes into the page as text, never as HTML.
 */
import { deleteCSRs, describeFailure } from './client.js';
import { outcomesById, parseIds, type BatchDeleteCSRsResult, type IdOutcome } from './outcomes.js';
import './style.css';

function element<T extends Element>(selector: string): T {
  const found = document.querySelector<T>(selector);
  if (!found) throw new Error(`index.html has no ${selector}`);
  return found;
}

const form = element<HTMLFormElement>('#delete-form');
const gateway = element<HTMLInputElement>('input[name=gateway]');
const token = element<HTMLInputElement>('input[name=token]');
const idsField = element<HTMLTextAreaElement>('textarea[name=ids]');
const submit = element<HTMLButtonElement>('button[type=submit]');
const status = element<HTMLParagraphElement>('#status');
const table = element<HTMLTableElement>('#outcomes');
const requestIds = element<HTMLParagraphElement>('#request-ids');

gateway.value = import.meta.env.VITE_GATEWAY_URL ?? 'http://localhost:4000/graphql';

function showStatus(text: string, refused = false): void {
  status.textContent = text;
  status.classList.toggle('refused', refused);
}

function row(outcome: IdOutcome): HTMLTableRowElement {
  const tr = document.createElement('tr');
  tr.className = outcome.outcome.replace(' ', '-');
  const error = outcome.outcome === 'failed' ? outcome.error : undefined;
  const cells: [className: string, text: string][] = [
    ['id', String(outcome.id)],
    ['outcome', outcome.outcome],
    ['error', error ? `${error.type} (${error.code})` : ''],
    ['message', error?.message ?? ''],
    ['request-id', error ? (error.requestId ?? '—') : ''],
  ];
  for (const [className, text] of cells) {
    const td = tr.insertCell();
    td.className = className;
    td.textContent = text;
  }
  return tr;
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
  deleteCSRs(ids, { url: gateway.value, token: token.value.trim() })
    .then((result) => showResult(ids, result))
    .catch((error: unknown) => showStatus(describeFailure(error), true))
    .finally(() => (submit.disabled = false));
});
