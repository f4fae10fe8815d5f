/**
 * The simulator's admin API, for tests that run it as a process of its own: what it received, what
 * it holds, and faults to queue — the same things an in-process test reads off `TencentSslSimulator`,
 * over HTTP. Served under `/_simulator/`, a path Tencent never uses, and only when the simulator is
 * started with `--admin`.
 *
 * Why a process of its own: the simulator is the judge of the rate limit, and it judges by arrival
 * time. A judge inside a loaded test runner timestamps requests when that runner's event loop gets
 * round to them, so a busy machine bunches arrivals into "too many in a second" that never happened.
 *
 *   GET    /_simulator/calls                          {"calls":[CallRecord…]}, oldest first
 *   GET    /_simulator/max-calls-in-window?windowMs=&action=
 *                                                     {"maxCallsInWindow":n}, per SecretId and action (default
 *                                                     1000 ms; of one action when `action` is given)
 *   POST   /_simulator/faults                         {"fault":Fault,"times"?:n|null,"whenIds"?:[…],"action"?:…}, or an
 *                                                     array of them; `times` null = every matching call until
 *                                                     cleared; `action` BatchDeleteCSR when absent
 *   DELETE /_simulator/faults                         drops every queued fault
 *   GET    /_simulator/store                          {"size":n,"ids":[…]}: the IDs that exist
 *   POST   /_simulator/store/exists                   {"ids":[…]} → {"existing":[…]}: those of them that exist
 *
 * Arrival times (`arrivedAt`) are milliseconds on the simulator process's own clock.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { SIMULATED_ACTIONS, sendJson, type Fault, type TencentSslSimulator } from './simulator.js';

export const ADMIN_PREFIX = '/_simulator/';

/** Bodies are fault lists and ID lists: a few hundred KiB at most in any test. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

const ids = z.array(z.number().int());

const faultSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('error'), code: z.string().min(1), message: z.string().optional() }),
    z.object({ kind: z.literal('http'), status: z.number().int().min(100).max(599) }),
    z.object({ kind: z.literal('nonJson') }),
    z.object({ kind: z.literal('delay'), ms: z.number().int().nonnegative() }),
    z.object({ kind: z.literal('dropBeforeApply') }),
    z.object({ kind: z.literal('dropAfterApply') }),
    z.object({ kind: z.literal('noSuccessList'), success: z.enum(['null', 'missing']).optional() }),
  ],
  {
    error:
      'a fault is {"kind": "error" | "http" | "nonJson" | "delay" | "dropBeforeApply" | "dropAfterApply" | "noSuccessList", …}',
  },
);
// A fault kind added to the simulator without a way to queue it here is a compile error.
type Unqueueable = Exclude<Fault['kind'], z.infer<typeof faultSchema>['kind']>;
const everyKindQueueable: [Unqueueable] extends [never] ? true : Unqueueable = true;
void everyKindQueueable;

const faultRequest = z.object({
  fault: faultSchema,
  times: z.number().int().positive().nullable().optional(),
  whenIds: ids.optional(),
  action: z.enum(SIMULATED_ACTIONS as [string, ...string[]]).optional(),
});
const faultRequests = z.union([faultRequest, z.array(faultRequest)]);
const idsRequest = z.object({ ids });

class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Answers `req` when it is under the admin prefix (and returns true); leaves every other request alone. */
export function serveAdmin(simulator: TencentSslSimulator, req: IncomingMessage, res: ServerResponse): boolean {
  const url = new URL(req.url ?? '/', 'http://simulator');
  if (!url.pathname.startsWith(ADMIN_PREFIX)) return false;
  const route = `${req.method ?? ''} ${url.pathname.slice(ADMIN_PREFIX.length)}`;
  void serve(simulator, route, url, req).then(
    (answer) => (answer === undefined ? res.writeHead(204).end() : sendJson(res, 200, answer)),
    (error: unknown) => {
      const status = error instanceof AdminError ? error.status : 500;
      sendJson(res, status, { error: error instanceof Error ? error.message : String(error) });
    },
  );
  return true;
}

async function serve(simulator: TencentSslSimulator, route: string, url: URL, req: IncomingMessage): Promise<unknown> {
  switch (route) {
    case 'GET calls':
      return { calls: simulator.log };
    case 'GET max-calls-in-window': {
      const windowMs = Number(url.searchParams.get('windowMs') ?? 1000);
      if (!(windowMs > 0)) throw new AdminError(400, 'windowMs must be a positive number of milliseconds');
      const action = url.searchParams.get('action') ?? undefined;
      return { maxCallsInWindow: simulator.maxCallsInWindow(windowMs, action) };
    }
    case 'POST faults': {
      const requested = parse(faultRequests, await readJson(req));
      for (const { fault, times, whenIds, action } of Array.isArray(requested) ? requested : [requested]) {
        simulator.inject(fault, {
          times: times === null ? Infinity : (times ?? 1),
          ...(whenIds ? { whenIds } : {}),
          ...(action ? { action } : {}),
        });
      }
      return undefined;
    }
    case 'DELETE faults':
      simulator.clearFaults();
      return undefined;
    case 'GET store':
      return { size: simulator.store.size, ids: [...simulator.store] };
    case 'POST store/exists':
      return { existing: parse(idsRequest, await readJson(req)).ids.filter((id) => simulator.store.has(id)) };
    default:
      throw new AdminError(404, `no admin route ${route}; see src/simulator/admin.ts`);
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AdminError(400, z.prettifyError(parsed.error));
  return parsed.data;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new AdminError(413, `bodies are limited to ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new AdminError(400, 'the body is not JSON');
  }
}
