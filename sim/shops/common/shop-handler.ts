/**
 * The request flow the REST shop simulators share: `/_sim/*` goes to the control surface uncounted;
 * an API request is counted, delayed by the configured latency, then either hit by an injected fault or
 * handed to the platform's API. A `reset` drops the connection with an RST and a `timeout` never
 * answers; a status fault (429/500/503) is answered in the platform's own shape. A simulator bug is
 * logged, never swallowed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultRule } from './faults.js';
import { readBody, splitTarget } from './http.js';
import type { RequestHandler } from './local-server.js';
import type { RequestStats } from './request-stats.js';

export interface SimRequest {
  req: IncomingMessage;
  res: ServerResponse;
  /** Path and query as requested. */
  target: string;
  path: string;
  /** The raw query string, without '?'. */
  query: string;
  /** Upper case. */
  method: string;
  body: string;
}

export interface ShopFlow {
  /** Tag of the console line a simulator bug is logged with, e.g. 'magento-sim'. */
  name: string;
  latencyMs?: number;
  stats: RequestStats;
  /** LocalServer.hold. */
  hold(res: ServerResponse): void;
  admin(r: SimRequest): void;
  /** The injected fault that hits this request, if any. */
  fault(r: SimRequest): FaultRule | undefined;
  /** Answers a 429, 500 or 503 fault. */
  answerFault(r: SimRequest, fault: FaultRule): void;
  api(r: SimRequest): void;
  /** The answer to a request whose handling threw before anything was sent. */
  internalError(res: ServerResponse): void;
}

export function shopRequestHandler(flow: ShopFlow): RequestHandler {
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const r: SimRequest = { req, res, ...splitTarget(req), body: await readBody(req) };
    if (r.path.startsWith('/_sim/')) return flow.admin(r);

    flow.stats.begin(res);
    if (flow.latencyMs) await new Promise((resolve) => setTimeout(resolve, flow.latencyMs));

    const fault = flow.fault(r);
    if (fault?.kind === 'reset') {
      flow.stats.count('reset');
      req.socket.resetAndDestroy();
      return;
    }
    if (fault?.kind === 'timeout') {
      flow.stats.count('timeout');
      flow.hold(res);
      return;
    }
    if (fault) return flow.answerFault(r, fault);
    flow.api(r);
  };
  return (req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) flow.internalError(res);
      console.error(`[${flow.name}]`, e);
    });
  };
}
