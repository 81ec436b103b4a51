import { describe, expect, it } from 'vitest';
import { ShopError } from '../../domain/errors.js';
import { parseLinkHeader } from './link-header.js';
import { keysetAfter, modifiedAfterParam, nextPage } from './paging.js';

describe('modified_after', () => {
  it('is the second before the cursor, in GMT, without a zone', () => {
    expect(modifiedAfterParam('2026-11-23T01:51:11.000Z')).toBe('2026-11-23T01:51:10');
    expect(modifiedAfterParam('2026-11-23T01:51:11.999Z')).toBe('2026-11-23T01:51:10');
    expect(modifiedAfterParam('2026-11-23T02:51:11+01:00')).toBe('2026-11-23T01:51:10');
    // A hand-written start date without a zone is UTC, whatever the host's time zone.
    expect(modifiedAfterParam('2026-11-23T01:51:11')).toBe('2026-11-23T01:51:10');
    expect(modifiedAfterParam('2026-01-01')).toBe('2025-12-31T23:59:59');
  });

  it('refuses a cursor that is not a date', () => {
    expect(() => modifiedAfterParam('yesterday')).toThrow(ShopError);
    expect(() => modifiedAfterParam('yesterday')).toThrow(/"yesterday" is not an ISO 8601 date/);
  });
});

describe('paging', () => {
  it('parses WordPress Link headers', () => {
    const links = parseLinkHeader('<https://s.test/wp-json/wc/v3/orders?page=1&a=b,c>; rel="prev", <https://s.test/wp-json/wc/v3/orders?page=3>; rel="next"');
    expect(links.get('prev')).toBe('https://s.test/wp-json/wc/v3/orders?page=1&a=b,c');
    expect(links.get('next')).toBe('https://s.test/wp-json/wc/v3/orders?page=3');
    expect(parseLinkHeader(undefined).size).toBe(0);
    expect(parseLinkHeader('garbage').size).toBe(0);
  });

  it('takes the next page from Link, then X-WP-TotalPages, then a full page', () => {
    const link = (rel: string) => ({ link: `<http://x/wp-json/wc/v3/orders?page=3>; rel="${rel}"` });
    expect(nextPage({ headers: link('next'), body: [] }, 2, 10)).toBe(3);
    expect(nextPage({ headers: { ...link('prev'), 'x-wp-totalpages': '9' }, body: [] }, 2, 10)).toBeUndefined();
    expect(nextPage({ headers: { 'x-wp-totalpages': '3' }, body: [] }, 2, 10)).toBe(3);
    expect(nextPage({ headers: { 'x-wp-totalpages': '3' }, body: [] }, 3, 10)).toBeUndefined();
    expect(nextPage({ headers: {}, body: new Array(10).fill({}) }, 1, 10)).toBe(2);
    expect(nextPage({ headers: {}, body: [{}] }, 1, 10)).toBeUndefined();
  });

  it('restarts one second before the last order of a page', () => {
    expect(keysetAfter([{ date_modified_gmt: '2026-01-01T00:00:05' }, { date_modified_gmt: '2026-01-01T00:00:09' }])).toBe('2026-01-01T00:00:08');
    expect(keysetAfter([{ id: 1 }])).toBeUndefined();
    expect(keysetAfter([])).toBeUndefined();
    expect(keysetAfter([{ date_modified_gmt: 'soon' }])).toBeUndefined();
  });
});
