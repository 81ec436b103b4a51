import type { BcSalesOrderSnapshot, BcTarget } from '../bc/target.js';
import { errorMessage } from '../domain/errors.js';

/**
 * A second BC sales order of the same shop order (DESIGN.md guarantee 1, docs/architecture.md "Duplicates").
 *
 * A killed worker never causes one: its attempt is recorded before the create, and whoever takes the order
 * over looks it up first. A *frozen* worker can (a long GC pause, a suspended VM): it checked its lease, froze
 * before its create reached BC, another worker took the order over after the lease expired, found nothing and
 * created it; then the frozen one woke up and its create went through. BC has no conditional create to fence
 * that, so bcbridge removes the copy afterwards, at the two places that can see it: the worker whose create
 * succeeded without its lease (export), and the read-back that finds two orders for one key (verify).
 *
 * Only a copy bcbridge itself made is deleted: still a draft (nobody released it), nothing shipped or
 * invoiced, the same number of lines and the same total as the order kept. Anything else is left for a person,
 * with both numbers named.
 */
export type DuplicateOutcome = { removed: true; detail: string } | { removed: false; detail: string };

export async function removeDuplicate(target: BcTarget, keep: BcSalesOrderSnapshot, copy: BcSalesOrderSnapshot): Promise<DuplicateOutcome> {
  const both = `BC sales orders ${keep.number} and ${copy.number} both carry external document no. ${keep.externalDocumentNumber}`;
  if (!target.readOrderNow || !target.deleteOrder) {
    return { removed: false, detail: `${both}; the ${target.transport} transport cannot delete ${copy.number}: delete it in BC` };
  }
  try {
    const now = await target.readOrderNow(copy.id);
    if (!now) return { removed: true, detail: `${both} for a moment; ${copy.number} is gone already` };
    const shipped = now.fullyShipped || now.lines.some((l) => Number(l.shippedQuantity) > 0 || Number(l.invoicedQuantity) > 0);
    const sameContent = copy.lineCount === keep.lineCount && copy.totalAmountIncludingTax === keep.totalAmountIncludingTax;
    if (shipped || now.status !== 'Draft' || !sameContent) {
      const why = shipped ? 'it has been shipped or invoiced' : now.status !== 'Draft' ? `it is ${now.status}, not a draft` : 'its lines or total differ, so it may have been entered by hand';
      return { removed: false, detail: `${both}; ${copy.number} was left as it is because ${why}: check it in BC` };
    }
    await target.deleteOrder(copy.id, now.etag);
    return { removed: true, detail: `${both}; deleted ${copy.number}, a second create of the same order (a worker frozen past its lease), kept ${keep.number}` };
  } catch (err) {
    return { removed: false, detail: `${both}; deleting ${copy.number} failed: ${errorMessage(err)}` };
  }
}
