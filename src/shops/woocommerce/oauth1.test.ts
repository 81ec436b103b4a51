import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { baseStringUri, hmacSignature, percentEncode, signatureBaseString, signOAuth1 } from './oauth1.js';

describe('OAuth 1.0a signing', () => {
  it('builds the RFC 5849 §3.4.1.1 example base string exactly', () => {
    // POST /request?b5=%3D%253D&a3=a&c%40=&a2=r%20b with body c2&a3=2+q and the example's oauth_* parameters.
    const params: [string, string][] = [
      ['b5', '=%3D'], ['a3', 'a'], ['c@', ''], ['a2', 'r b'],
      ['oauth_consumer_key', '9djdj82h48djs9d2'], ['oauth_token', 'kkk9d7dh3k39sjv7'],
      ['oauth_signature_method', 'HMAC-SHA1'], ['oauth_timestamp', '137131201'], ['oauth_nonce', '7d8f3e4a'],
      ['c2', ''], ['a3', '2 q'],
    ];
    expect(signatureBaseString('post', baseStringUri(new URL('http://EXAMPLE.COM:80/request')), params)).toBe(
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D'
      + '%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1'
      + '%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
    );
  });

  it('signs the OAuth Core 1.0 appendix A.5 vector (HMAC-SHA1)', () => {
    const base = 'GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03'
      + '%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096'
      + '%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal';
    expect(hmacSignature(base, 'kd94hf93k423kf44&pfkkdhi9sl3r4s00', 'HMAC-SHA1')).toBe('tR3+Ty81lMeYAr/Fid0kMTYa/WM=');
  });

  it('signs a WooCommerce listing the way WooCommerce checks it (computed independently with node:crypto)', () => {
    const url = new URL('http://127.0.0.1:8080/wp-json/wc/v3/orders');
    url.searchParams.append('modified_after', '2026-11-23T01:51:10');
    url.searchParams.append('per_page', '100');
    const params = signOAuth1('GET', url, {
      consumerKey: 'ck_demo', consumerSecret: 'cs_demo', signatureMethod: 'HMAC-SHA256', timestamp: 1795000000.7, nonce: 'n0nce',
    });
    // By hand: sorted by name, each name=value encoded, joined with &, the whole encoded again (':' → %253A).
    const base = 'GET&http%3A%2F%2F127.0.0.1%3A8080%2Fwp-json%2Fwc%2Fv3%2Forders&'
      + 'modified_after%3D2026-11-23T01%253A51%253A10%26oauth_consumer_key%3Dck_demo%26oauth_nonce%3Dn0nce'
      + '%26oauth_signature_method%3DHMAC-SHA256%26oauth_timestamp%3D1795000000%26per_page%3D100';
    const expected = createHmac('sha256', 'cs_demo&').update(base).digest('base64');
    expect(Object.fromEntries(params)).toEqual({
      modified_after: '2026-11-23T01:51:10', per_page: '100',
      oauth_consumer_key: 'ck_demo', oauth_nonce: 'n0nce', oauth_signature_method: 'HMAC-SHA256', oauth_timestamp: '1795000000',
      oauth_signature: expected,
    });
    // No oauth_version: WooCommerce does not want it.
    expect(params.some(([k]) => k === 'oauth_version')).toBe(false);
  });

  it('draws a fresh random nonce per request', () => {
    const url = new URL('http://shop.test/wp-json/wc/v3/orders');
    const signing = { consumerKey: 'ck', consumerSecret: 'cs', signatureMethod: 'HMAC-SHA1' as const, timestamp: 1 };
    const nonce = (p: [string, string][]) => p.find(([k]) => k === 'oauth_nonce')![1];
    const a = nonce(signOAuth1('GET', url, signing));
    const b = nonce(signOAuth1('GET', url, signing));
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(a).not.toBe(b);
  });

  it('percent-encodes per RFC 3986 and normalises the base URI', () => {
    expect(percentEncode("a b!*'()~é+/=")).toBe('a%20b%21%2A%27%28%29~%C3%A9%2B%2F%3D');
    expect(baseStringUri(new URL('HTTPS://Shop.Example.com:443/sub/wp-json/wc/v3/orders?x=1#f'))).toBe('https://shop.example.com/sub/wp-json/wc/v3/orders');
    expect(baseStringUri(new URL('http://shop.example.com:8080/wp-json'))).toBe('http://shop.example.com:8080/wp-json');
  });
});
