import { describe, expect, it } from 'vitest';
import type { BcTarget } from '../bc/target.js';
import { LookupNotSupportedError, MasterData } from './master-data.js';

function fakeTarget(over: Partial<BcTarget> = {}) {
  const calls: string[] = [];
  let fail = false;
  const target = {
    transport: 'api', environment: 'test',
    findExisting: async () => new Map(), create: async () => { throw new Error('no'); }, read: async () => undefined,
    checkCompany: async () => ({ id: '', name: '' }), close: async () => {},
    getCustomer: async (no: string) => {
      calls.push(`customer ${no}`);
      if (fail) throw new Error('BC down');
      return { id: '1', number: no.toUpperCase(), displayName: no, blocked: '' };
    },
    getItem: async (no: string) => {
      calls.push(`item ${no}`);
      return undefined;
    },
    findCustomersByEmail: async (e: string) => {
      calls.push(`email ${e}`);
      return [];
    },
    createCustomer: async (c: { displayName: string; email?: string }) => {
      calls.push(`create ${c.displayName}`);
      await new Promise((r) => setTimeout(r, 5));
      return { id: '2', number: 'CUST1', displayName: c.displayName, blocked: '', email: c.email };
    },
    ...over,
  } as BcTarget;
  return { target, calls, setFail: (f: boolean) => (fail = f) };
}

function clockAt(ms: number) {
  const c = { t: ms, now: () => new Date(c.t) };
  return c;
}

describe('master data cache', () => {
  it('asks BC once per key within the TTL, shares concurrent questions, and asks again after the TTL', async () => {
    const f = fakeTarget();
    const clock = clockAt(1_000_000);
    const md = new MasterData(f.target, clock, 60_000);
    await Promise.all([md.customer('c1'), md.customer('C1'), md.customer('c1')]);
    expect(f.calls).toEqual(['customer c1']);
    clock.t += 61_000;
    await md.customer('c1');
    expect(f.calls).toHaveLength(2);
  });

  it('does not remember a failed lookup', async () => {
    const f = fakeTarget();
    const md = new MasterData(f.target, clockAt(0));
    f.setFail(true);
    await expect(md.customer('c1')).rejects.toThrow('BC down');
    f.setFail(false);
    await expect(md.customer('c1')).resolves.toMatchObject({ number: 'C1' });
    expect(f.calls).toEqual(['customer c1', 'customer c1']);
  });

  it('clear() and fresh(since) make a retried order see BC as it is now', async () => {
    const f = fakeTarget();
    const clock = clockAt(1_000);
    const md = new MasterData(f.target, clock);
    await md.customer('c1');
    clock.t = 2_000;
    const view = md.fresh(new Date(1_500));
    await view.customer('c1');
    await view.customer('c1');
    await md.customer('c1');
    expect(f.calls).toEqual(['customer c1', 'customer c1']);
    md.clear();
    await md.customer('c1');
    expect(f.calls).toHaveLength(3);
  });

  it('creates a customer once per key even when several orders ask at once, and caches it by number', async () => {
    const f = fakeTarget();
    const md = new MasterData(f.target, clockAt(0));
    const input = { displayName: 'Anna', type: 'Person' as const, email: 'a@example.test' };
    const [a, b] = await Promise.all([md.createCustomer(input, 'id:42'), md.createCustomer(input, 'id:42')]);
    expect(a.number).toBe('CUST1');
    expect(b.number).toBe('CUST1');
    await md.customer('CUST1');
    expect(f.calls).toEqual(['create Anna']);
  });

  it('reports what the transport cannot do; existence checks it cannot make are "unchecked"', async () => {
    const f = fakeTarget({ findCustomersByEmail: undefined, createCustomer: undefined });
    const md = new MasterData(f.target, clockAt(0));
    await expect(md.customersByEmail('a@b.c')).rejects.toBeInstanceOf(LookupNotSupportedError);
    await expect(md.createCustomer({ displayName: 'x', type: 'Person' }, 'k')).rejects.toBeInstanceOf(LookupNotSupportedError);
    await expect(md.location('MAIN')).resolves.toBe('unchecked');
    expect(md.can('getLocation')).toBe(false);
  });
});
