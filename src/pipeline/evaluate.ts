import type { BcSalesOrderDocument } from '../bc/document.js';
import type { BcCustomer } from '../bc/target.js';
import { toSalesOrder, type ItemLineDecision } from '../bc/to-sales-order.js';
import type { EnvironmentKey, ShopConfig } from '../config/schema.js';
import { isoNow } from '../domain/clock.js';
import { BcError, errorMessage } from '../domain/errors.js';
import { hold, type HoldReason } from '../domain/hold.js';
import { dec, minorUnits } from '../domain/money.js';
import type { CanonicalOrder } from '../domain/order.js';
import { planBundles } from '../domain/rules/bundles.js';
import { planCostLines } from '../domain/rules/cost-lines.js';
import { matchCustomer, type BindingOrigin, type CustomerSources } from '../domain/rules/customer-chain.js';
import { checkEligibility } from '../domain/rules/eligibility.js';
import { matchItem, type ItemSources } from '../domain/rules/item-chain.js';
import { newCustomerFor } from '../domain/rules/new-customer.js';
import { planOptions } from '../domain/rules/options.js';
import { reasons } from '../domain/rules/reasons.js';
import { shopIdsComment } from '../domain/rules/shop-ids.js';
import type { OrderState } from '../domain/states.js';
import type { TransitionInput } from '../store/orders-repo.js';
import type { OrderRow } from '../store/schema.js';
import { pageBindingReads, type BindingReads } from './binding-reads.js';
import type { PipelineContext } from './context.js';
import { createCustomerOnce, CustomerBeingCreated, CustomerCreateUncertain, type CustomerClaims } from './create-customer-once.js';
import { LookupNotSupportedError, type MasterData } from './master-data.js';
import { bump, emptyResult, type StageResult } from './stage-result.js';

export type Decision =
  /** `notes`: what the rules did that a person may want to know (a customer created, a redirect …). */
  | { kind: 'ready'; document: BcSalesOrderDocument; notes: string[] }
  | { kind: 'hold'; hold: HoldReason }
  | { kind: 'wait'; reason: string; checksLeft: number }
  /** Not the order's fault and no eligibility check spent: e.g. another worker is creating its customer. */
  | { kind: 'defer'; code: string; reason: string; hint: string; retryAt?: Date }
  | { kind: 'ignore'; code: string; reason: string };

/** Remembered customer bindings of one shop in one BC company (store/customer-bindings-repo.ts). */
export interface BindingStore {
  get(key: string): Promise<{ customerNumber: string; origin: BindingOrigin; template?: string } | undefined>;
  put(key: string, customerNumber: string, origin: BindingOrigin, template?: string): Promise<void>;
  remove(key: string): Promise<void>;
  /**
   * Claims that make one worker of all create a shop customer's BC customer (create-customer-once.ts).
   * Absent: creations are shared within this process only.
   */
  claims?: CustomerClaims;
}

export interface DecideContext {
  shop: ShopConfig;
  /** Position in the config, for the paths in hints (`shops[0].mapping.skuMap`). */
  shopIndex: number;
  orderKey: string;
  md: MasterData;
  /** Eligibility checks made before this one. */
  checksDone: number;
  now?: Date;
  /** Absent: no bindings are read or written (e.g. `bcbridge map`). */
  bindings?: BindingStore;
  /** Decide only: create no customer, remember nothing (`bcbridge map`). */
  dryRun?: boolean;
}

/** A hold found deep inside a callback (e.g. BC refusing to create a customer). */
class HoldSignal extends Error {
  constructor(readonly hold: HoldReason) {
    super(hold.reason);
  }
}

/**
 * The rules for one order: eligibility, then customer, items, options and cost lines, each checked against
 * BC's master data. Returns a decision; never throws for a business reason (a BC outage does throw, and
 * the stage tries again later). `bcbridge map` runs this too, as a dry run.
 */
export async function decide(order: CanonicalOrder, c: DecideContext): Promise<Decision> {
  const { shop } = c;
  const eligibility = checkEligibility(order, shop.rules, c.checksDone, c.now);
  if (eligibility.kind === 'ignore') return { kind: 'ignore', code: eligibility.code, reason: `Ignored: ${eligibility.reason}.` };
  if (eligibility.kind === 'wait') return { kind: 'wait', reason: `Waiting: ${eligibility.reason}.`, checksLeft: eligibility.checksLeft };
  const at = `shops[${c.shopIndex}].mapping`;
  try {
    return await mapOrder(order, c, at);
  } catch (err) {
    if (err instanceof HoldSignal) return { kind: 'hold', hold: err.hold };
    if (err instanceof CustomerBeingCreated) {
      const until = err.until ? ` (if that worker stopped, its claim is taken over at ${err.until.toISOString()})` : '';
      return {
        kind: 'defer',
        code: 'CUSTOMER_BEING_CREATED',
        reason: `Waiting: ${err.message}.`,
        hint: `Nothing to do: the order goes on once that customer exists${until}.`,
        retryAt: err.until,
      };
    }
    if (err instanceof CustomerCreateUncertain) return { kind: 'hold', hold: createUncertain(err, order, `${at}.customerMap`) };
    if (err instanceof LookupNotSupportedError) return { kind: 'hold', hold: reasons.lookupNotSupported(err.what, `${at} (customerChain / itemChain)`) };
    // A page that is not published is BC setup, not an outage: waiting and re-trying every minute would hide it.
    if (err instanceof BcError && err.code === 'BC_NOT_PUBLISHED') return { kind: 'hold', hold: reasons.pageNotPublished(err.message) };
    throw err;
  }
}

async function mapOrder(order: CanonicalOrder, c: DecideContext, at: string): Promise<Decision> {
  const m = c.shop.mapping;
  const md = c.md;
  const notes: string[] = [];

  // --- customer ---
  const customerSources: CustomerSources = {
    binding: async (key) => c.bindings?.get(key),
    forget: async (key) => {
      if (!c.dryRun) await c.bindings?.remove(key);
    },
    remember: async (key, no, origin, template) => {
      // A created customer's binding was stored by its claim (or by the worker that created it).
      if (origin === 'created' && c.bindings?.claims) return;
      if (!c.dryRun) await c.bindings?.put(key, no, origin, template);
    },
    byNumber: (no) => md.customer(no),
    byEmail: (email) => md.customersByEmail(email),
    byPhone: (phone) => md.customersByPhone(phone),
    create: async (template, templateKey, o, key) => {
      const input = newCustomerFor(o, template, m.newCustomerNumbers);
      if (c.dryRun) {
        notes.push(`A new BC customer "${input.displayName}" would be created from template ${template.template} (${templateKey === '*' ? 'any country' : templateKey})${input.number ? ` as ${input.number}` : ''}.`);
        return { number: input.number ?? 'NEW', displayName: input.displayName, blocked: '' };
      }
      // A buyer without customer id and e-mail is claimed per order: a retried order finds its own card.
      const claimKey = key ?? `order:${o.shopOrderId}`;
      const claims = c.bindings?.claims;
      const guard = claims && ((create: () => Promise<BcCustomer>) => createCustomerOnce({ md, claims, input, key: claimKey, template: templateKey }, create));
      try {
        // Shared by the orders of this shop customer in this process (one claim, one create).
        const created = await md.createCustomer(input, `${c.shop.code}/${claimKey}`, guard);
        notes.push(`BC customer ${created.number} was created from template ${template.template}.`);
        return created;
      } catch (err) {
        // BC refused the card (bad payment terms …): a person must fix the template. Outages propagate.
        if (err instanceof BcError && !err.retryable && !err.ambiguous) {
          throw new HoldSignal(reasons.customerCreateRejected(errorMessage(err).replace(/\s*CorrelationId:.*$/i, ''), template.template));
        }
        throw err;
      }
    },
  };
  const customer = await matchCustomer(order, m, customerSources, at);
  if (customer.kind === 'hold') return customer;
  const match = customer.match;
  if (match.placedBy) notes.push(`Placed by BC customer ${match.placedBy}, booked on ${match.customer.number} (differentCustomerNo).`);

  // --- item lines ---
  const itemSources: ItemSources = {
    byNumber: (no) => md.item(no),
    byGtin: (gtin) => md.itemsByGtin(gtin),
    variant: async (item, code) => {
      const v = await md.itemVariant(item, code);
      return v ? { code: v.code } : undefined;
    },
  };
  const plan = planBundles(order.lines, m.bundles, minorUnits(order.currency));
  const items = new Map<string, ItemLineDecision>();
  for (const entry of plan) {
    if (entry.kind !== 'item') continue;
    const line = entry.line;
    const item = await matchItem(line, m, itemSources, at);
    if (item.kind === 'hold') return item;
    const options = planOptions(line.options, m.options, at);
    if (options.kind === 'hold') return options;
    const o = options.plan;
    let variantCode = item.match.variantCode;
    // An option linked to the variant field names the variant, unless the SKU already did.
    if (o.itemVariantCode && !variantCode) {
      if (item.match.step !== 'unchecked' && !(await md.itemVariant(item.match.itemNumber, o.itemVariantCode))) {
        return { kind: 'hold', hold: reasons.variantNotInBc(item.match.itemNumber, o.itemVariantCode, `option "${m.options.label}", ${at}.options`) };
      }
      variantCode = o.itemVariantCode;
    }
    for (const d of o.dimensions) {
      if ((await md.dimensionValue(d.code, d.valueCode)) === undefined) {
        return { kind: 'hold', hold: reasons.dimensionValueNotInBc(d.code, d.valueCode, `option "${d.label}", ${at}.options.dimensions`) };
      }
    }
    items.set(line.lineId, {
      itemNumber: item.match.itemNumber,
      variantCode,
      unitOfMeasureCode: o.unitOfMeasureCode,
      description2: o.description2,
      dimensions: o.dimensions.map((d) => ({ code: d.code, valueCode: d.valueCode })),
      comments: o.comments,
    });
  }

  // --- cost lines, shipment method, location, header dimensions ---
  const cost = planCostLines(order, m, at);
  if (cost.kind === 'hold') return cost;
  if (cost.plan.shipmentMethodCode && (await md.shipmentMethod(cost.plan.shipmentMethodCode)) === undefined) {
    return { kind: 'hold', hold: reasons.shipmentMethodNotInBc(cost.plan.shipmentMethodCode, at) };
  }
  // Sana: orders of a customer created from a country template use that template's location.
  const template = match.templateKey ? m.customerTemplates[match.templateKey] : undefined;
  const locationCode = (template?.locationCode ?? m.locationCode)?.toUpperCase() || undefined;
  if (locationCode && (await md.location(locationCode)) === undefined) {
    const setting = template?.locationCode ? `${at}.customerTemplates["${match.templateKey}"].locationCode` : `${at}.locationCode`;
    return { kind: 'hold', hold: reasons.locationNotInBc(locationCode, setting) };
  }
  const dimensions = Object.entries(m.dimensions).map(([code, valueCode]) => ({ code: code.toUpperCase(), valueCode: valueCode.toUpperCase() }));
  for (const d of dimensions) {
    if ((await md.dimensionValue(d.code, d.valueCode)) === undefined) {
      return { kind: 'hold', hold: reasons.dimensionValueNotInBc(d.code, d.valueCode, `${at}.dimensions["${d.code}"]`) };
    }
  }

  const document = toSalesOrder(order, {
    orderKey: c.orderKey,
    customerNumber: match.customer.number,
    plan,
    items,
    freight: cost.plan.freight,
    fees: cost.plan.fees,
    coupons: m.coupons,
    pricesIncludeTax: m.taxMode === 'shop' ? order.pricesIncludeTax : m.taxMode === 'includingTax',
    localCurrency: m.localCurrency,
    salesperson: m.salesperson,
    locationCode,
    shipmentMethodCode: cost.plan.shipmentMethodCode,
    dimensions,
    shopIdsComment: m.shopIds === 'commentLine' ? shopIdsComment(order) : undefined,
  });
  if (document.lines.some((l) => l.lineType !== 'Comment' && dec(l.quantity).lte(0))) {
    return { kind: 'hold', hold: reasons.badQuantity(order.orderNumber) };
  }
  return { kind: 'ready', document, notes };
}

/** Evaluate: received orders and waiting orders whose re-check is due → ready / waiting / held / ignored. */
export async function evaluate(ctx: PipelineContext, actor: string, opts: { shop?: string; limit?: number } = {}): Promise<StageResult> {
  const result = emptyResult('evaluate', opts.shop);
  const env = await ctx.activeEnvironment();
  const md = ctx.masterData(env);
  let afterId = 0;
  for (;;) {
    const now = isoNow(ctx.clock);
    const rows = await ctx.store.orders.inState(['received', 'waiting'], { limit: opts.limit ?? 200, shop: opts.shop, dueBy: now, afterId, columns: EVALUATE_COLUMNS });
    if (rows.length === 0) break;
    afterId = rows[rows.length - 1].id;
    const payloads = await ctx.store.orders.canonicalsOf(rows);
    const reads = pageBindingReads(ctx);
    const decided = await Promise.all(
      rows.map(async (row): Promise<TransitionInput> => {
        const t = await evaluateOne(ctx, row, payloads.get(row.id)?.canonical as CanonicalOrder | null, md, env, actor, result, reads);
        // Decided on this version of the order: a shop change stored meanwhile is decided again, on its own version.
        return { ...t, version: row.updated_at };
      }),
    );
    // The page's outcomes (states, events, BC documents) are stored in one transaction: one commit per page.
    await ctx.store.orders.transitionMany(decided, isoNow(ctx.clock));
  }
  return result;
}

/** The customer bindings of one shop in the BC company of an environment. */
export function bindingStore(ctx: PipelineContext, shop: string, env: EnvironmentKey, reads?: BindingReads): BindingStore | undefined {
  const envCfg = ctx.config.bc[env];
  if (!envCfg) return undefined;
  const scope = { shop, bcScope: `${envCfg.name}/${envCfg.company}` };
  const repo = ctx.store.customerBindings;
  const read = reads?.(scope.shop, scope.bcScope);
  const at = (k: string) => ({ ...scope, customerKey: k });
  const now = () => isoNow(ctx.clock);
  // The claim outlives a BC create request (timeout 60 s) like an export lease does (pipeline.leaseSeconds).
  const leaseMs = ctx.config.pipeline.leaseSeconds * 1000;
  const claims: CustomerClaims = {
    claim: (k) => repo.claimCreate(at(k), ctx.workerId, now(), new Date(ctx.clock.now().getTime() + leaseMs).toISOString()),
    markSent: (k) => repo.markCreateSent(at(k), ctx.workerId, now()),
    bind: (k, customerNo, template) => repo.bindClaim(at(k), ctx.workerId, { customerNo, template }, now()),
    release: (k) => repo.releaseClaim(at(k), ctx.workerId),
    forget: (k) => repo.remove(at(k)),
    boundNo: async (k) => (await repo.get(at(k)))?.bc_customer_no,
    boundElsewhere: (customerNo, k) => repo.boundTo(shop, scope.bcScope, customerNo, k),
  };
  return {
    claims,
    async get(key) {
      const row = read ? await read.load(key) : await repo.get({ ...scope, customerKey: key });
      return row ? { customerNumber: row.bc_customer_no, origin: row.origin as BindingOrigin, template: row.template ?? undefined } : undefined;
    },
    put: (key, customerNumber, origin, template) => repo.put({ ...scope, customerKey: key }, { customerNo: customerNumber, origin, template }, isoNow(ctx.clock)),
    remove: (key) => repo.remove({ ...scope, customerKey: key }),
  };
}

/** What evaluate reads of an order row (the rest stays in the database). */
const EVALUATE_COLUMNS = ['id', 'state', 'shop', 'order_key', 'order_number', 'checks', 'created_at', 'updated_at', 'shop_modified_at'] as const;
type EvaluateRow = Pick<OrderRow, (typeof EVALUATE_COLUMNS)[number]>;

/** Decides one order; returns its transition (with its BC document), which the caller stores with the page's. */
async function evaluateOne(ctx: PipelineContext, row: EvaluateRow, order: CanonicalOrder | null, md: MasterData, env: EnvironmentKey, actor: string, result: StageResult, reads: BindingReads): Promise<TransitionInput> {
  const from = row.state as OrderState;
  const shop = ctx.shop(row.shop);
  const shopIndex = ctx.config.shops.findIndex((s) => s.code === row.shop);
  if (!order || !row.order_key) {
    result.problems++;
    bump(result, 'held');
    return { id: row.id, from, to: 'held', actor, reason: 'the stored order cannot be read', set: { reason_code: 'MALFORMED_ORDER', reason: 'The stored order cannot be read.', hint: 'Open the raw payload; fix the order in the shop.' } };
  }
  // An order back in `received` after it was first stored (a person's retry, a change in the shop) sees
  // BC as it is now, even when the retry was made by another process whose cache this one cannot clear.
  const view = from === 'received' && row.updated_at !== row.created_at ? md.fresh(new Date(row.updated_at)) : md;
  let decision: Decision;
  try {
    decision = await decide(order, { shop, shopIndex, orderKey: row.order_key, md: view, checksDone: row.checks, now: ctx.clock.now(), bindings: bindingStore(ctx, row.shop, env, reads) });
  } catch (err) {
    // BC unreachable while checking master data: try again next round, the order is not at fault.
    result.errors.push(`order ${row.order_number}: ${errorMessage(err)}`);
    bump(result, 'deferred');
    return { id: row.id, from, to: 'waiting', actor, reason: `master data lookup failed: ${errorMessage(err)}`, set: { next_attempt_at: new Date(ctx.clock.now().getTime() + 60_000).toISOString() } };
  }
  switch (decision.kind) {
    case 'ready':
      bump(result, 'ready');
      return {
        id: row.id,
        from,
        to: 'ready',
        actor,
        reason: [`mapped for BC (${env})`, ...decision.notes].join(' '),
        set: { reason_code: null, reason: null, hint: null, next_attempt_at: null },
        document: decision.document,
      };
    case 'hold':
      result.problems++;
      bump(result, 'held');
      return { id: row.id, from, to: 'held', actor, reason: decision.hold.reason, set: { reason_code: decision.hold.code, reason: decision.hold.reason, hint: decision.hold.hint }, document: null };
    case 'defer': {
      // Soon, but never later than the other worker's claim expiry (then this worker takes it over).
      const soon = ctx.clock.now().getTime() + DEFER_MS;
      const at = Math.max(ctx.clock.now().getTime() + 1_000, Math.min(soon, decision.retryAt?.getTime() ?? soon));
      bump(result, 'waiting');
      return { id: row.id, from, to: 'waiting', actor, reason: decision.reason, set: { reason_code: decision.code, reason: decision.reason, hint: decision.hint, next_attempt_at: new Date(at).toISOString() } };
    }
    case 'ignore':
      bump(result, 'ignored');
      return { id: row.id, from, to: 'ignored', actor, reason: decision.reason, set: { reason_code: decision.code, reason: decision.reason, hint: ignoreHint(decision.code) } };
    case 'wait': {
      if (decision.checksLeft <= 0) {
        const reason = `${decision.reason} Gave up after ${shop.rules.maxChecks} checks.`;
        bump(result, 'ignored');
        return { id: row.id, from, to: 'ignored', actor, reason, set: { reason_code: 'CHECKS_EXHAUSTED', reason, hint: 'Retry the order by hand once it is paid / in an exportable status.', checks: row.checks + 1 } };
      }
      const next = new Date(ctx.clock.now().getTime() + shop.rules.recheckMinutes * 60_000).toISOString();
      bump(result, 'waiting');
      return { id: row.id, from, to: 'waiting', actor, reason: decision.reason, set: { reason_code: 'NOT_ELIGIBLE_YET', reason: decision.reason, hint: `Re-checked every ${shop.rules.recheckMinutes} min, ${decision.checksLeft} more time(s).`, checks: row.checks + 1, next_attempt_at: next } };
    }
  }
}

/** How soon an order whose customer another worker is creating is looked at again. */
const DEFER_MS = 15_000;

function createUncertain(err: CustomerCreateUncertain, order: CanonicalOrder, setting: string): HoldReason {
  const name = [order.billing.firstName, order.billing.lastName].filter(Boolean).join(' ') || order.billing.company || order.orderNumber;
  const sentence = `${err.message.charAt(0).toUpperCase()}${err.message.slice(1)}.`;
  return err.candidates.length > 1
    ? hold('CUSTOMER_CREATE_UNCERTAIN', sentence, `Keep one of ${err.candidates.join(', ')} for this buyer (map the shop customer to it in ${setting}, or change the others' e-mail), then retry the order.`)
    : hold('CUSTOMER_CREATE_UNCERTAIN', sentence, `Look in BC for a customer "${name}" made for this order: if there is one, map the shop customer to it in ${setting} (with map before create in customerChain); if there is none, retry the order and bcbridge creates it.`);
}

function ignoreHint(code: string): string | null {
  switch (code) {
    case 'GUEST_NOT_EXPORTED':
      return 'Set rules.registeredOnly to false to export guest orders, then retry the order.';
    case 'WAIT_EXPIRED':
      return 'Retry the order by hand once it is paid / in an exportable status, or raise rules.giveUpAfterDays.';
    default:
      return null;
  }
}
