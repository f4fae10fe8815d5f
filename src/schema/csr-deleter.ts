/**
 * The schema's door to the deletion service, one per GraphQL operation: a DataLoader keyed by CSR ID.
 *
 * DataLoader is here for what it does well: within one operation, an ID asked for twice (say by two
 * aliased `batchDeleteCSRs` fields, which GraphQL runs one after the other) is sent once and both
 * fields get the same answer, instead of the second being told "not deleted" because the first
 * already deleted it. Coalescing *across* operations is the engine's job (see engine.ts for why that
 * is not DataLoader).
 */
import DataLoader from 'dataloader';
import type { Attribution, DeletionService } from '../deletion/service.js';
import type { Settlement } from '../engine/outcome.js';

/** What came of one ID: its settlement and the RequestIds of the calls that carried it. */
export interface IdOutcome {
  readonly settlement: Settlement;
  readonly requestIds: readonly string[];
}

/**
 * Made for every operation, queries included, so it makes its DataLoader only when a mutation first
 * loads.
 */
export class CsrDeleter {
  readonly #deletion: DeletionService;
  readonly #deadline: number;
  readonly #attribution: () => Attribution;
  #loader: DataLoader<number, IdOutcome> | undefined;

  /**
   * `deadline`: Unix ms, the operation's start plus `MUTATION_DEADLINE_MS`; `attribution`: who is
   * asking, read when the first batch is submitted (the caller is known by then, not before).
   */
  constructor(deletion: DeletionService, deadline: number, attribution: () => Attribution) {
    this.#deletion = deletion;
    this.#deadline = deadline;
    this.#attribution = attribution;
  }

  loadMany(ids: readonly number[]): Promise<Array<IdOutcome | Error>> {
    this.#loader ??= new DataLoader<number, IdOutcome>(async (batch) => {
      const outcome = await this.#deletion.submit(batch, { deadline: this.#deadline, attribution: this.#attribution() });
      return batch.map((id) => {
        const settlement = outcome.settlements.get(id);
        // The engine answers every ID it was given; a gap would be an engine bug, surfaced per ID.
        return settlement ? { settlement, requestIds: outcome.requestIds.get(id) ?? [] } : new Error(`No outcome for CSR ${id}`);
      });
    });
    return this.#loader.loadMany(ids);
  }
}
