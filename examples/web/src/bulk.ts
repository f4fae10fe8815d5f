/**
 * Bulk mode: paste or upload IDs, start a deletion job, watch its progress bar fill (live over SSE,
 * or by polling), cancel it, and page through its per-ID results once it is finished.
 *
 * A double click or a retry must not make two jobs: each start carries an idempotency key that
 * stands for "these IDs, this time". It is kept while the IDs stay as they are and the job is not
 * finished, so a second press — or a press after an answer that never arrived — gets the job the
 * first one made. Editing the IDs, or the job finishing, starts a new intent with a new key.
 */
import { describeFailure, type Caller } from './client.js';
import { element, textRow } from './dom.js';
import { cancelJob, followJob, isFinished, resultsPage, startJob, type Job, type Outcome, type ResultsPage, type StartResult, type Transport } from './jobs.js';
import { parseIds } from './outcomes.js';
import { describeJob, formatCount, newIdempotencyKey, progressOf } from './progress.js';

const RESULTS_PER_PAGE = 50;

const OUTCOME_WORDS: Record<Outcome, string> = {
  DELETED: 'deleted',
  NOT_DELETED: 'not deleted',
  UNKNOWN: 'unknown',
  FAILED: 'failed',
};

const TRANSPORT_WORDS: Record<Transport, string> = {
  live: 'Live: progress events over Server-Sent Events.',
  polling: 'Polling every second (the live stream did not get through).',
};

export interface BulkMode {
  /** Shows a job started elsewhere (a plan's, browse.ts) and follows it as if started here. */
  follow(job: Job): void;
}

export function setUpBulkMode(caller: () => Caller): BulkMode {
  const form = element<HTMLFormElement>('#job-form');
  const idsField = element<HTMLTextAreaElement>('textarea[name=job-ids]');
  const fileField = element<HTMLInputElement>('input[name=job-file]');
  const start = element<HTMLButtonElement>('#job-form button[type=submit]');
  const status = element<HTMLParagraphElement>('#job-status');
  const jobView = element<HTMLDivElement>('#job');
  const bar = element<HTMLProgressElement>('#job-progress');
  const percent = element<HTMLSpanElement>('#job-percent');
  const transportLine = element<HTMLParagraphElement>('#job-transport');
  const cancel = element<HTMLButtonElement>('#job-cancel');
  const results = element<HTMLElement>('#job-results');
  const outcomeFilter = element<HTMLSelectElement>('select[name=results-outcome]');
  const resultsBody = element<HTMLTableSectionElement>('#job-results-table tbody');
  const previous = element<HTMLButtonElement>('#results-previous');
  const next = element<HTMLButtonElement>('#results-next');
  const pageLabel = element<HTMLSpanElement>('#results-page');

  let intent: { readonly text: string; readonly key: string } | undefined;
  let current: Job | undefined;
  let stopFollowing: (() => void) | undefined;
  /** `after` of each page seen so far (null: the first), to go back without the server's help. */
  let pages: (string | null)[] = [null];
  let pageIndex = 0;
  let nextCursor: string | null = null;
  /** Which results request is the latest: an older one answering late (a filter changed meanwhile) is dropped. */
  let resultsRequest = 0;

  const showStatus = (text: string, refused = false) => {
    status.textContent = text;
    status.classList.toggle('refused', refused);
  };

  const keyFor = (text: string): string => {
    if (intent?.text !== text) intent = { text, key: newIdempotencyKey() };
    return intent.key;
  };

  const show = (job: Job, transport?: Transport) => {
    const wasFinished = current?.id === job.id && isFinished(current);
    current = job;
    jobView.hidden = false;
    const progress = progressOf(job);
    bar.max = Math.max(progress.total, 1);
    bar.value = progress.settled;
    bar.setAttribute('aria-valuemax', String(bar.max));
    bar.setAttribute('aria-valuenow', String(progress.settled));
    bar.setAttribute('aria-valuetext', progress.text);
    percent.textContent = `${progress.percent} %`;
    for (const [name, count] of Object.entries(job.counts)) {
      const cell = jobView.querySelector(`[data-count=${name}]`);
      if (cell && typeof count === 'number') cell.textContent = formatCount(count);
    }
    if (transport) transportLine.textContent = TRANSPORT_WORDS[transport];
    showStatus(describeJob(job));
    const finished = isFinished(job);
    cancel.disabled = finished || job.cancelRequested;
    if (finished) {
      intent = undefined; // the next start is a new job, even for the same IDs
      if (!wasFinished) void loadResults(true);
    }
  };

  const follow = (job: Job) => {
    stopFollowing?.();
    results.hidden = true;
    show(job);
    if (isFinished(job)) return;
    stopFollowing = followJob(job.id, caller(), {
      next: show,
      error: (error) => showStatus(`Stopped following the job: ${describeFailure(error)}`, true),
    });
  };

  const startAnswered = (result: StartResult) => {
    if (result.__typename === 'CSRDeletionJob') return follow(result);
    const ids = 'csrIds' in result && result.csrIds.length > 0 ? ` (${result.csrIds.join(', ')})` : '';
    showStatus(`No job was made: ${result.code}: ${result.message}${ids}`, true);
  };

  const loadResults = async (fromStart: boolean) => {
    if (!current) return;
    if (fromStart) {
      pages = [null];
      pageIndex = 0;
    }
    const outcome = (outcomeFilter.value || undefined) as Outcome | undefined;
    const request = ++resultsRequest;
    let page: ResultsPage;
    try {
      page = await resultsPage(
        { id: current.id, first: RESULTS_PER_PAGE, after: pages[pageIndex] ?? null, ...(outcome ? { outcome } : {}) },
        caller(),
      );
    } catch (error) {
      if (request === resultsRequest) showStatus(`Could not read the results: ${describeFailure(error)}`, true);
      return;
    }
    if (request !== resultsRequest) return;
    resultsBody.replaceChildren(
      ...page.nodes.map((result) =>
        textRow(
          [
            ['id', String(result.csrId)],
            ['outcome', result.outcome ? OUTCOME_WORDS[result.outcome] : 'pending'],
            ['code', result.code ?? ''],
            ['request-id', result.requestId ?? ''],
          ],
          (result.outcome ?? 'pending').toLowerCase().replace('_', '-'),
        ),
      ),
    );
    nextCursor = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    previous.disabled = pageIndex === 0;
    next.disabled = nextCursor === null;
    const first = pageIndex * RESULTS_PER_PAGE + 1;
    pageLabel.textContent =
      page.nodes.length === 0 ? 'No results' : `Results ${formatCount(first)}–${formatCount(first + page.nodes.length - 1)} (page ${pageIndex + 1})`;
    results.hidden = false;
  };

  const readIds = (): number[] | undefined => {
    const { ids, rejected } = parseIds(idsField.value);
    if (rejected.length > 0) {
      const shown = rejected.slice(0, 5).join(', ') + (rejected.length > 5 ? `, … (${rejected.length - 5} more)` : '');
      showStatus(`Not CSR IDs: ${shown}`, true);
      return undefined;
    }
    if (ids.length === 0) {
      showStatus('Enter or upload at least one CSR ID.', true);
      return undefined;
    }
    return ids;
  };

  fileField.addEventListener('change', () => {
    const file = fileField.files?.[0];
    if (!file) return;
    file.text().then(
      (text) => {
        idsField.value = text;
        const { ids } = parseIds(text);
        showStatus(`Read ${formatCount(new Set(ids).size)} distinct IDs from ${file.name}.`);
      },
      (error: unknown) => showStatus(`Could not read ${file.name}: ${String(error)}`, true),
    );
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const ids = readIds();
    if (!ids) return;
    const key = keyFor(idsField.value);
    start.disabled = true;
    showStatus(`Starting a job for ${formatCount(new Set(ids).size)} IDs…`);
    startJob(ids, key, caller())
      .then(startAnswered)
      .catch((error: unknown) => showStatus(`${describeFailure(error)} Press Start job again: the same job is answered, never a second.`, true))
      .finally(() => (start.disabled = false));
  });

  cancel.addEventListener('click', () => {
    if (!current) return;
    cancel.disabled = true;
    cancelJob(current.id, caller())
      .then((job) => (job ? show(job) : showStatus('The gateway no longer knows this job.', true)))
      .catch((error: unknown) => {
        cancel.disabled = false;
        showStatus(describeFailure(error), true);
      });
  });

  outcomeFilter.addEventListener('change', () => void loadResults(true));
  previous.addEventListener('click', () => {
    if (pageIndex === 0) return;
    pageIndex -= 1;
    void loadResults(false);
  });
  next.addEventListener('click', () => {
    if (nextCursor === null) return;
    pages[pageIndex + 1] = nextCursor;
    pageIndex += 1;
    void loadResults(false);
  });
  return { follow };
}
