/**
 * The schema's door to the engine, one per GraphQL operation: a DataLoader keyed by CSR ID.
 *
 * DataLoader is here for what it does well: within one operation, an ID asked for twice (say by two
 * aliased `batchDeleteCSRs` fields, which GraphQL runs one after the other) is sent once and both
 * fields get the same answer, instead of the second being told "not deleted" because the first
 * already deleted it. Coalescing *across* operations is the engine's job (see engine.ts for why that
 * is not DataLoader).
 */
import DataLoader from 'dataloader';
import type { Settlement } from '../engine/ticket.js';
import type { DeleteEngine } from '../engine/types.js';

export interface IdOutcome {
  readonly settlement: Settlement;
  /** RequestIds of the calls that carried this submission's IDs. */
  readonly requestIds: readonly string[];
  /** RequestIds of the calls that carried this ID. */
  readonly requestIdsOfId: readonly string[];
}

/**
 * Made for every operation, queries included, so it makes its DataLoader (and asks for its engine)
 * only when a mutation first loads.
 */
export class CsrDeleter {
  readonly #engine: () => DeleteEngine;
  readonly #deadline: number;
  #loader: DataLoader<number, IdOutcome> | undefined;

  /**
   * `engine`: this operation's door to the engine; `deadline`: Unix ms, the operation's start plus
   * `MUTATION_DEADLINE_MS`.
   */
  constructor(engine: () => DeleteEngine, deadline: number) {
    this.#engine = engine;
    this.#deadline = deadline;
  }

  loadMany(ids: readonly number[]): Promise<Array<IdOutcome | Error>> {
    this.#loader ??= outcomeLoader(this.#engine(), this.#deadline);
    return this.#loader.loadMany(ids);
  }
}

function outcomeLoader(engine: DeleteEngine, deadline: number): DataLoader<number, IdOutcome> {
  return new DataLoader<number, IdOutcome>(async (ids) => {
    const outcome = await engine.submit(ids, { deadline });
    const byId = new Map<number, Settlement>();
    for (const id of outcome.deleted) byId.set(id, { kind: 'deleted' });
    for (const id of outcome.notDeleted) byId.set(id, { kind: 'notDeleted' });
    for (const id of outcome.unknown) byId.set(id, { kind: 'unknown' });
    for (const { failure, ids: failedIds } of outcome.failed) {
      const settlement: Settlement = { kind: 'failed', failure };
      for (const id of failedIds) byId.set(id, settlement);
    }
    return ids.map((id) => {
      const settlement = byId.get(id);
      // The engine answers every ID it was given; a gap would be an engine bug, surfaced per ID.
      return settlement
        ? { settlement, requestIds: outcome.requestIds, requestIdsOfId: outcome.requestIdsById.get(id) ?? [] }
        : new Error(`No outcome for CSR ${id}`);
    });
  });
}
