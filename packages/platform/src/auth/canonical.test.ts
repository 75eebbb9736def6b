import aws4 from 'aws4';
import { describe, expect, it } from 'vitest';
import { canonicalHeaderValue, canonicalQuery, canonicalUri, canonicalUriByTheRules, escapeRfc3986, isNormalPath } from './canonical.js';
import { verifySigV4 } from './verify.js';

/** aws4's own canonical request, split into lines: [method, path, query, ...]. */
function aws4Canonical(path: string): string[] {
  const signer = new aws4.RequestSigner(
    { host: 'example.test', path, service: 'execute-api', region: 'us-east-1', headers: { 'X-Amz-Date': '20260115T120000Z' } },
    { accessKeyId: 'AKID', secretAccessKey: 'secret' },
  );
  return signer.canonicalString().split('\n');
}

describe('known answers from the AWS SigV4 test suite', () => {
  // get-vanilla, get-vanilla-query-order-key-case and post-vanilla, as published by AWS.
  const secret = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
  const options = {
    region: 'us-east-1',
    service: 'service',
    lookup: () => ({ secretAccessKey: secret, principal: 'aws-suite' }),
    now: () => Date.UTC(2015, 7, 30, 12, 36, 0),
  };
  it.each([
    ['GET', '', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'],
    ['GET', 'Param2=value2&Param1=value1', 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500'],
    ['POST', '', '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b'],
  ])('%s /?%s', async (method, rawQuery, signature) => {
    const headers = {
      host: 'example.amazonaws.com',
      'x-amz-date': '20150830T123600Z',
      authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=${signature}`,
    };
    const caller = await verifySigV4({ method, path: '/', rawQuery, headers }, options);
    expect(caller).toEqual({ principal: 'aws-suite', accessKeyId: 'AKIDEXAMPLE', signedHeaders: ['host', 'x-amz-date'] });
  });
});

describe('canonicalUri matches aws4 for non-S3 services', () => {
  it.each([
    '/',
    '/v1/orders',
    '/v1/orders/',
    '/a%20b/c',
    '/a:b@c/d;e=f',
    '/%C3%A9t%C3%A9',
    '/a%2Fb',
    "/!'()*~",
    '/a/./b/../c',
    '//a//b//',
    '/a/..',
    '/%7Euser',
  ])('%s', (path) => {
    expect(canonicalUri(path)).toBe(aws4Canonical(path)[1]);
  });

  it('double-encodes what was already encoded, as the SDK does', () => {
    expect(canonicalUri('/a%20b')).toBe('/a%2520b');
    expect(canonicalUri('/a b')).toBe('/a%20b');
  });
});

describe('isNormalPath', () => {
  it('accepts paths the SDK normalisation leaves alone and nothing else', () => {
    for (const path of ['/', '/a', '/a/', '/a/b', '/a%2F%2Fb', '/%2e%2e/x', '/a.b/..c']) expect(isNormalPath(path), path).toBe(true);
    for (const path of ['', 'a', '*', '//', '//a', '/a//b', '/a/./b', '/a/../b', '/a/.', '/..'])
      expect(isNormalPath(path), path).toBe(false);
  });
});

describe('canonicalQuery', () => {
  it.each(['b=2&a=1', 'lot=b&lot=a&lot=c', 'a=&b', 'q=a%20b&r=a+b&s=x%2By', 'k=%E6%97%A5&%C3%A9=1', "x=!'()*", 'A=1&a=1&_=1&~=1'])(
    '%s matches aws4',
    (query) => {
      expect(canonicalQuery(query)).toBe(aws4Canonical(`/?${query}`)[2]);
    },
  );

  it('sorts by key and then by value, and leaves out the signature', () => {
    expect(canonicalQuery('b=2&a=z&a=y&X-Amz-Signature=abc')).toBe('a=y&a=z&b=2');
  });
});

describe('canonicalHeaderValue', () => {
  it('trims, folds whitespace runs, and joins repeats with ","', () => {
    expect(canonicalHeaderValue(['  a   b\t c  '])).toBe('a b c');
    expect(canonicalHeaderValue(['one', ' two '])).toBe('one,two');
  });
});

describe('escapeRfc3986', () => {
  it('leaves only unreserved characters literal', () => {
    expect(escapeRfc3986("AZaz09-._~!'()* /:")).toBe('AZaz09-._~%21%27%28%29%2A%20%2F%3A');
  });
});

describe('canonicalUri on paths that are already canonical', () => {
  it('gives every path up to five characters the same form as the full rules', () => {
    const alphabet = ['/', 'a', '.', '-', '~', '%', ' ', '!', 'Z'];
    for (let length = 0; length <= 5; length++) {
      for (let n = 0; n < alphabet.length ** length; n++) {
        let path = '';
        for (let i = 0, rest = n; i < length; i++, rest = Math.floor(rest / alphabet.length)) path += alphabet[rest % alphabet.length];
        expect(canonicalUri(path), JSON.stringify(path)).toBe(canonicalUriByTheRules(path));
      }
    }
  });
});
