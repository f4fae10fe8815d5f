/**
 * Browse mode (issue 21): list the account's CSRs (all, or one domain's), a page at a time; select
 * some, across pages; plan their deletion (which exist now, which are gone, how many calls and how
 * long at least); then delete exactly the plan's existing IDs as a job, followed in bulk mode.
 *
 * The selection is a set of IDs kept across pages and new listings; a plan is made from it on the
 * gateway, so what is deleted is what exists when the plan is made, not what the page showed.
 */
import type { BulkMode } from './bulk.js';
import { describeFailure, type Caller } from './client.js';
import { lacksField, listCSRs, type CSR, type CSRPage } from './csrs.js';
import { element, textRow } from './dom.js';
import { startJob } from './jobs.js';
import { planDeletion, startPlan, type Plan } from './plans.js';
import { formatCount, newIdempotencyKey } from './progress.js';

const CSRS_PER_PAGE = 50;
const LISTED_MISSING = 20;

export function setUpBrowseMode(caller: () => Caller, bulk: BulkMode, showPanel: (panelId: string) => void): void {
  const unavailable = element<HTMLParagraphElement>('#browse-unavailable');
  const browse = element<HTMLDivElement>('#browse');
  const form = element<HTMLFormElement>('#browse-form');
  const domainField = element<HTMLInputElement>('input[name=domain]');
  const status = element<HTMLParagraphElement>('#browse-status');
  const list = element<HTMLDivElement>('#browse-list');
  const body = element<HTMLTableSectionElement>('#csrs tbody');
  const selectPage = element<HTMLInputElement>('#select-page');
  const previous = element<HTMLButtonElement>('#csrs-previous');
  const next = element<HTMLButtonElement>('#csrs-next');
  const pageLabel = element<HTMLSpanElement>('#csrs-page');
  const selectedCount = element<HTMLSpanElement>('#selected-count');
  const planSelected = element<HTMLButtonElement>('#plan-selected');
  const planDomain = element<HTMLButtonElement>('#plan-domain');
  const planView = element<HTMLElement>('#plan');
  const planDetails = element<HTMLParagraphElement>('#plan-details');
  const planStart = element<HTMLButtonElement>('#plan-start');

  const selected = new Set<number>();
  let shown: readonly CSR[] = [];
  /** The listing's domain (as listed, not as typed since), `after` of each page seen, and where we are. */
  let listing: { domain: string; pages: (string | null)[]; index: number; nextCursor: string | null } | undefined;
  /** What Delete would start: a plan's job, or — where the gateway cannot plan — a job of the selected IDs. */
  let pending: { readonly plan: Plan; readonly key: string } | { readonly ids: readonly number[]; readonly key: string } | undefined;
  const planCounts = element<HTMLDListElement>('#plan-counts');
  let request = 0;

  const showStatus = (text: string, refused = false) => {
    status.textContent = text;
    status.classList.toggle('refused', refused);
  };

  /** The gateway has no read side: say so, instead of a list that can never fill. */
  const hideBrowsing = (what: string) => {
    browse.hidden = true;
    unavailable.hidden = false;
    unavailable.textContent = `This gateway cannot ${what} (its schema has no such field): use Delete now or Bulk job.`;
  };

  const updateSelection = () => {
    selectedCount.textContent = `${formatCount(selected.size)} selected`;
    planSelected.disabled = selected.size === 0;
    const onPage = shown.filter((csr) => selected.has(csr.id)).length;
    selectPage.checked = shown.length > 0 && onPage === shown.length;
    selectPage.indeterminate = onPage > 0 && onPage < shown.length;
    for (const box of body.querySelectorAll<HTMLInputElement>('input[type=checkbox]')) box.checked = selected.has(Number(box.value));
  };

  const row = (csr: CSR): HTMLTableRowElement => {
    const tr = textRow([
      ['id', String(csr.id)],
      ['domain', csr.domain ?? ''],
      ['status', csr.status === null || csr.status === undefined ? '' : String(csr.status)],
      ['created', csr.createdAt ?? ''],
      ['key', [csr.encryptAlgo, csr.keyParameter].filter(Boolean).join(' ')],
    ]);
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.value = String(csr.id);
    box.setAttribute('aria-label', `Select CSR ${csr.id}`);
    box.addEventListener('change', () => {
      if (box.checked) selected.add(csr.id);
      else selected.delete(csr.id);
      updateSelection();
    });
    const cell = tr.insertCell(0);
    cell.className = 'select';
    cell.append(box);
    return tr;
  };

  const showPage = (page: CSRPage) => {
    if (!listing) return;
    shown = page.nodes;
    body.replaceChildren(...page.nodes.map(row));
    listing.nextCursor = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    previous.disabled = listing.index === 0;
    next.disabled = listing.nextCursor === null;
    const first = listing.index * CSRS_PER_PAGE + 1;
    const of = `${formatCount(page.totalCount)} CSR${page.totalCount === 1 ? '' : 's'}${listing.domain ? ` for ${listing.domain}` : ''}`;
    pageLabel.textContent =
      page.nodes.length === 0 ? `No CSRs (of ${of})` : `CSRs ${formatCount(first)}–${formatCount(first + page.nodes.length - 1)} of ${of}`;
    planDomain.disabled = !listing.domain || page.totalCount === 0;
    list.hidden = false;
    showStatus('');
    updateSelection();
  };

  const load = async () => {
    if (!listing) return;
    const mine = ++request;
    showStatus('Listing…');
    try {
      const page = await listCSRs(
        { first: CSRS_PER_PAGE, after: listing.pages[listing.index] ?? null, ...(listing.domain ? { domain: listing.domain } : {}) },
        caller(),
      );
      if (mine === request) showPage(page);
    } catch (error) {
      if (mine !== request) return;
      if (lacksField(error, 'csrs')) return hideBrowsing('list CSRs');
      showStatus(describeFailure(error), true);
    }
  };

  const showPlan = (made: Plan) => {
    pending = { plan: made, key: newIdempotencyKey() };
    planCounts.hidden = false;
    const values: Record<string, string> = {
      existing: formatCount(made.existingIds.length),
      missing: formatCount(made.missingIds.length),
      invalid: formatCount(made.invalidIds.length),
      calls: formatCount(made.estimatedCalls),
      seconds: `${formatCount(Math.ceil(made.estimatedSeconds))} s`,
    };
    for (const [name, text] of Object.entries(values)) {
      const cell = planView.querySelector(`[data-plan=${name}]`);
      if (cell) cell.textContent = text;
    }
    const missing = made.missingIds.slice(0, LISTED_MISSING).join(', ') + (made.missingIds.length > LISTED_MISSING ? ', …' : '');
    planDetails.textContent = [
      `Plan ${made.id}${made.domain ? ` for ${made.domain}` : ''}, valid until ${made.expiresAt}.`,
      made.missingIds.length > 0 ? `Missing (already gone, nothing to delete): ${missing}.` : '',
    ]
      .filter(Boolean)
      .join(' ');
    planStart.disabled = made.existingIds.length === 0;
    planStart.textContent = `Delete ${formatCount(made.existingIds.length)} CSR${made.existingIds.length === 1 ? '' : 's'} (as a job)`;
    planView.hidden = false;
  };

  /** No plans on this gateway: the selection goes to a job as it is (IDs already gone end NOT_DELETED). */
  const showUnplanned = (ids: readonly number[]) => {
    pending = { ids, key: newIdempotencyKey() };
    showStatus('');
    planCounts.hidden = true;
    planDetails.textContent =
      'This gateway cannot plan deletions (its schema has no planCSRDeletion): the job gets the selected IDs as they ' +
      'are, and any already gone come back not deleted.';
    planStart.disabled = false;
    planStart.textContent = `Delete ${formatCount(ids.length)} selected CSR${ids.length === 1 ? '' : 's'} (as a job, without a plan)`;
    planView.hidden = false;
  };

  const makePlan = (target: { ids: readonly number[] } | { domain: string }) => {
    planSelected.disabled = true;
    planDomain.disabled = true;
    showStatus('Planning…');
    planDeletion(target, caller())
      .then((result) => {
        if (result.__typename !== 'CSRDeletionPlan') return showStatus(`No plan: ${result.code}: ${result.message}`, true);
        showStatus('');
        showPlan(result);
      })
      .catch((error: unknown) => {
        if (lacksField(error, 'planCSRDeletion')) {
          if ('ids' in target) return showUnplanned(target.ids);
          return showStatus('This gateway cannot plan deletions (its schema has no planCSRDeletion).', true);
        }
        showStatus(describeFailure(error), true);
      })
      .finally(() => {
        planSelected.disabled = selected.size === 0;
        planDomain.disabled = !listing?.domain;
      });
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    listing = { domain: domainField.value.trim(), pages: [null], index: 0, nextCursor: null };
    void load();
  });
  previous.addEventListener('click', () => {
    if (!listing || listing.index === 0) return;
    listing.index -= 1;
    void load();
  });
  next.addEventListener('click', () => {
    if (!listing?.nextCursor) return;
    listing.pages[listing.index + 1] = listing.nextCursor;
    listing.index += 1;
    void load();
  });
  selectPage.addEventListener('change', () => {
    for (const csr of shown) {
      if (selectPage.checked) selected.add(csr.id);
      else selected.delete(csr.id);
    }
    updateSelection();
  });
  planSelected.addEventListener('click', () => makePlan({ ids: [...selected].sort((a, b) => a - b) }));
  planDomain.addEventListener('click', () => {
    if (listing?.domain) makePlan({ domain: listing.domain });
  });
  planStart.addEventListener('click', () => {
    if (!pending) return;
    const chosen = pending;
    planStart.disabled = true;
    const started = 'plan' in chosen ? startPlan(chosen.plan.id, chosen.key, caller()) : startJob(chosen.ids, chosen.key, caller());
    started
      .then((result) => {
        if (result.__typename !== 'CSRDeletionJob') {
          planStart.disabled = false;
          return showStatus(`No job was made: ${result.code}: ${result.message}`, true);
        }
        // Done with, one way or the other: deleted by the job, already gone, or never a CSR.
        const settled = 'plan' in chosen ? [...chosen.plan.existingIds, ...chosen.plan.missingIds, ...chosen.plan.invalidIds] : chosen.ids;
        for (const id of settled) selected.delete(id);
        updateSelection();
        planView.hidden = true;
        pending = undefined;
        bulk.follow(result);
        showPanel('panel-bulk');
      })
      .catch((error: unknown) => {
        planStart.disabled = false;
        showStatus(`${describeFailure(error)} Press Delete again: it answers the same job, never a second.`, true);
      });
  });
}
