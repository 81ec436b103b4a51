import type { IncomingMessage, ServerResponse } from 'node:http';
import { createSoapHandler, isSoapPath, rowsOf, type BasicUser, type SoapDeps, SoapFaults, type SoapFaultRule } from './handler.js';
import { pageByService } from './pages.js';
import { type Delay, Processor, stagingOf, view } from './staging.js';

export type { BasicUser, SoapFaultRule } from './handler.js';
export type { Delay } from './staging.js';
export { isSoapPath };

export interface SoapSimOptions {
  /** How long BC takes to turn a complete staging set into a sales order: ms, or [min, max]. Default 1–5 minutes (seed 000). */
  processDelayMs?: Delay;
  /** On-premises Basic users (user name + web service access key). Default BCBRIDGE / demo-access-key. */
  users?: BasicUser[];
}

/** Test and admin control of the SOAP side of the BC simulator. */
export interface SoapSimControl {
  /** Operation-aware faults (a fault envelope, a bare 500, a reset, a drop after commit). */
  faults: { add(rule: SoapFaultRule): void; clear(): void };
  /** `{ws}` root of an environment, online shape: `{url}/v2.0/{tenant}/{env}/WS`. */
  wsUrl(env?: string): string;
  /** On-premises shape `{url}/{env}/WS` (accepts Basic). */
  onPremWsUrl(env?: string): string;
  /** Staging records of an environment's company, as the page shows them. */
  records(env?: string): Record<string, string>[];
  /** Any published page's records in an environment's company (e.g. `Customer` with its posting groups). */
  page(service: string, env?: string): Record<string, string>[];
  /** SOAP requests answered, per operation. */
  calls(): Record<string, number>;
  /** Processes every complete staging set now, whatever the delay; returns how many. */
  processNow(): number;
  setDelay(delay: Delay): void;
  users: BasicUser[];
}

export const DEFAULT_SOAP_USER: BasicUser = { username: 'BCBRIDGE', accessKey: 'demo-access-key' };
const DEFAULT_DELAY: Delay = [60_000, 300_000];

export function startSoapSim(
  deps: Omit<SoapDeps, 'users'>,
  opts: SoapSimOptions,
  companyOf: (env?: string) => Parameters<typeof stagingOf>[0],
  firstEnv: string,
): { handle(req: IncomingMessage, res: ServerResponse): Promise<void>; control: SoapSimControl; reset(): void; close(): void } {
  const users = opts.users ?? [DEFAULT_SOAP_USER];
  const faults = new SoapFaults();
  const calls = new Map<string, number>();
  const processor = new Processor(deps.world, opts.processDelayMs ?? DEFAULT_DELAY);
  processor.start();
  const handle = createSoapHandler({ ...deps, users }, faults, calls);
  return {
    handle,
    control: {
      faults,
      wsUrl: (env) => `${deps.baseUrl()}/v2.0/${deps.tenant}/${env ?? firstEnv}/WS`,
      onPremWsUrl: (env) => `${deps.baseUrl()}/${env ?? firstEnv}/WS`,
      records: (env) => {
        const company = companyOf(env);
        return stagingOf(company).sorted().map((r) => view(company, r));
      },
      page: (service, env) => {
        const page = pageByService(service);
        if (!page) throw new Error(`the simulator publishes no page '${service}'`);
        return rowsOf(companyOf(env), page).map((r) => r.values);
      },
      calls: () => Object.fromEntries(calls),
      processNow: () => processor.run(true),
      setDelay: (d) => processor.setDelay(d),
      users,
    },
    reset: () => {
      faults.clear();
      calls.clear();
    },
    close: () => processor.stop(),
  };
}
