import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { naturalCompare, oauthHeader, rfc3986, signatureBase } from './oauth1.js';

describe('Magento OAuth 1.0a signing', () => {
  it('sorts parameter names the way PHP strnatcmp does (digit runs by value)', () => {
    const keys = ['a%5B10%5D', 'a%5B2%5D', 'a%5B1%5D', 'oauth_nonce', 'b'];
    expect([...keys].sort(naturalCompare)).toEqual(['a%5B1%5D', 'a%5B2%5D', 'a%5B10%5D', 'b', 'oauth_nonce']);
  });

  it('builds the base string from the method, the URL without query or default port, and the encoded parameters', () => {
    const url = new URL('https://Shop.Example.com:443/rest/V1/orders?searchCriteria%5BpageSize%5D=2&x=a%20b');
    const base = signatureBase('get', url, [...url.searchParams.entries(), ['oauth_token', 't']]);
    expect(base).toBe(
      `GET&${rfc3986('https://shop.example.com/rest/V1/orders')}&${rfc3986('oauth_token=t&searchCriteria%5BpageSize%5D=2&x=a%20b')}`,
    );
  });

  it('signs with consumer secret & token secret, HMAC-SHA256 by default, every value quoted and encoded', () => {
    const creds = { consumerKey: 'ck', consumerSecret: 'c s', accessToken: 'at', accessTokenSecret: 'ts&', signatureMethod: 'HMAC-SHA256' as const };
    const url = new URL('http://127.0.0.1:8080/rest/V1/orders/3');
    const header = oauthHeader('GET', url, creds, 1_700_000_000, 'nonce1');
    const params = Object.fromEntries([...header.slice(6).matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], decodeURIComponent(m[2]!)]));
    expect(params).toMatchObject({ oauth_consumer_key: 'ck', oauth_token: 'at', oauth_nonce: 'nonce1', oauth_timestamp: '1700000000', oauth_signature_method: 'HMAC-SHA256', oauth_version: '1.0' });
    const normalized = 'oauth_consumer_key=ck&oauth_nonce=nonce1&oauth_signature_method=HMAC-SHA256&oauth_timestamp=1700000000&oauth_token=at&oauth_version=1.0';
    const base = `GET&${encodeURIComponent('http://127.0.0.1:8080/rest/V1/orders/3')}&${encodeURIComponent(normalized)}`;
    const expected = createHmac('sha256', 'c%20s&ts%26').update(base).digest('base64');
    expect(params.oauth_signature).toBe(expected);
  });
});
