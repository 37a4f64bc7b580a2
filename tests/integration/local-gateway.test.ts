/**
 * The local gateway and dev identity provider of `npm start` (local/api-server.ts) at their HTTP
 * edge, over real sockets: no placeholder headers, malformed percent-encoding is a 400 with the
 * standard error body, only loopback Host headers are answered, the token endpoint's 429 says when
 * to retry, tokens issued (or valid only) in the future are refused, and a short life can be asked
 * for (the browser tests' hosted-UI stand-in hands such tokens out).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importJWK, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer } from '../../local/api-server.ts';
import { AUDIENCE, devIdp, ISSUER } from '../../local/dev-idp.ts';
import { setupHandlers } from '../support/invoke.ts';

let gateway: Awaited<ReturnType<typeof startApiServer>>;
let keyFile: string;
let port: number;

beforeAll(async () => {
  await setupHandlers();
  keyFile = join(mkdtempSync(join(tmpdir(), 'idp-')), 'idp.json');
  gateway = await startApiServer({ port: 0, idp: await devIdp(keyFile), tokenRateLimit: 3 });
  port = Number(new URL(gateway.url).port);
});
afterAll(() => gateway.close());

/** A raw HTTP request, so that the Host header and the path go out exactly as written. */
function raw(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path, headers: { host: `127.0.0.1:${port}`, ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => {
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            /* not JSON */
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function signWith(claims: Record<string, unknown>, at: { iat: number; nbf?: number }) {
  const { privateJwk } = JSON.parse(readFileSync(keyFile, 'utf8')) as { privateJwk: JWK };
  const jwt = new SignJWT({ role: 'parent', ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: 'local' })
    .setSubject('gw-parent')
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(at.iat)
    .setExpirationTime(at.iat + 3600);
  if (at.nbf !== undefined) jwt.setNotBefore(at.nbf);
  return jwt.sign(await importJWK(privateJwk, 'ES256'));
}

const now = () => Math.floor(Date.now() / 1000);

describe('response headers', () => {
  it('sends no Server or X-Powered-By header and no header without a value', async () => {
    const res = await raw('GET', '/health');

    expect(res.headers.server).toBeUndefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
    for (const [name, value] of Object.entries(res.headers)) {
      expect(value, name).not.toBe('undefined');
      expect(value, name).not.toBe('');
    }
  });
});

describe('malformed percent-encoding in the path', () => {
  it('answers /applications/%E0%A4%A with 400 and the standard error body', async () => {
    const token = await signWith({}, { iat: now() });

    const res = await raw('GET', '/applications/%E0%A4%A', { authorization: `Bearer ${token}` });

    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'INVALID_PATH',
      messages: { 'zh-CN': expect.any(String), en: expect.any(String) },
    });
  });

  it('answers /%E0%A4%A without a token with 400, in English when asked', async () => {
    const res = await raw('GET', '/%E0%A4%A', { 'accept-language': 'en' });

    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('The request path is not valid percent-encoding');
  });
});

describe('Host header', () => {
  it.each(['127.0.0.1', 'localhost', '[::1]'])('answers %s with our port', async (name) => {
    const res = await raw('GET', '/health', { host: `${name}:${port}` });
    expect(res.status).not.toBe(421);
  });

  it.each(['rebind.example.com', 'rebind.example.com:PORT', '127.0.0.1:1', '10.0.0.5'])(
    'refuses Host %s with 421 on the API and the token endpoint',
    async (name) => {
      const host = name.replace('PORT', String(port));
      const api = await raw('GET', '/health', { host });
      const token = await raw('POST', '/local/token', { host }, '{"sub":"x","role":"parent"}');

      expect(api.status).toBe(421);
      expect(api.body.error.code).toBe('MISDIRECTED_REQUEST');
      expect(token.status).toBe(421);
    },
  );
});

describe('token endpoint', () => {
  it('answers requests over its limit with 429 and Retry-After', async () => {
    const ask = () => raw('POST', '/local/token', {}, '{"sub":"gw-parent","role":"parent"}');
    let res = await ask();
    for (let i = 0; i < 5 && res.status !== 429; i++) res = await ask();

    expect(res.status).toBe(429);
    const seconds = Number(res.headers['retry-after']);
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(60);
  });
});

describe('short-lived tokens for the hosted-UI stand-in', () => {
  let other: Awaited<ReturnType<typeof startApiServer>>;
  beforeAll(async () => {
    other = await startApiServer({ port: 0, idp: await devIdp(keyFile) });
  });
  afterAll(() => other.close());
  const ask = (body: unknown) =>
    fetch(`${other.url}/local/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const payload = (token: string) =>
    JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));

  it('issues a token that lives `expiresIn` seconds, with the claims of a Cognito ID token', async () => {
    const res = await ask({ sub: 'cw-short', role: 'caseworker', agency: 'health', expiresIn: 20 });
    expect(res.status).toBe(200);
    const claims = payload(((await res.json()) as { token: string }).token);
    expect(claims.exp - claims.iat).toBe(20);
    expect(claims).not.toHaveProperty('expiresIn');
    expect(claims).toMatchObject({
      sub: 'cw-short',
      role: 'caseworker',
      agency: 'health',
      'cognito:groups': ['caseworker'],
      'custom:agency': 'health',
      token_use: 'id',
    });
    const parent = payload(((await (await ask({ sub: 'p-short', role: 'parent' })).json()) as any).token);
    expect(parent.exp - parent.iat).toBe(12 * 3600);
    expect(parent).not.toHaveProperty('cognito:groups');
  });

  it.each([2, 0, 43_201, 1.5, '20'])('refuses expiresIn %s with a field error', async (expiresIn) => {
    const res = await ask({ sub: 'p-short', role: 'parent', expiresIn });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { fields: Array<{ path: string }> } };
    expect(body.error.fields.map((f) => f.path)).toEqual(['expiresIn']);
  });
});

describe('token times', () => {
  it('refuses a token issued an hour in the future', async () => {
    const token = await signWith({}, { iat: now() + 3600 });
    const res = await raw('GET', '/applications', { authorization: `Bearer ${token}` });
    expect(res.status).toBe(401);
  });

  it('refuses a token not valid before an hour from now', async () => {
    const token = await signWith({}, { iat: now(), nbf: now() + 3600 });
    const res = await raw('GET', '/applications', { authorization: `Bearer ${token}` });
    expect(res.status).toBe(401);
  });

  it('accepts a token issued 30 s ahead (within the clock skew)', async () => {
    const token = await signWith({}, { iat: now() + 30 });
    const res = await raw('GET', '/applications', { authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
  });
});

describe('the console as CloudFront serves it', () => {
  let site: Awaited<ReturnType<typeof startApiServer>>;
  let dir: string;
  const script = `export const x = ${JSON.stringify('一网通办 '.repeat(200))};\n`;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'onestop-static-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Onestop</title>');
    writeFileSync(join(dir, 'assets', 'main-AbC123.js'), script);
    site = await startApiServer({ port: 0, idp: await devIdp(keyFile), staticDir: dir });
  });
  afterAll(() => site.close());

  it('sends a hashed file gzip-compressed to a client that asks, cached for a year', async () => {
    const res = await fetch(`${site.url}/assets/main-AbC123.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    // fetch decompresses: the same text arrives
    expect(await res.text()).toBe(script);
    const plain = await fetch(`${site.url}/assets/main-AbC123.js`, {
      headers: { 'accept-encoding': 'identity' },
    });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(script);
  });

  it('has the browser revalidate index.html (a client route falls back to it)', async () => {
    for (const path of ['/', '/parent/apply/x']) {
      const res = await fetch(`${site.url}${path}`);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toContain('<title>Onestop</title>');
    }
  });
});
