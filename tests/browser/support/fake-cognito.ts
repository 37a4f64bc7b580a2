/**
 * Cognito as the console sees it on AWS, played by Playwright in one browser context: config.json
 * in cognito mode, the two API domains forwarded to the local runtime (whose gateway verifies
 * every token), and each pool's hosted UI — authorize (checks nothing, signs the configured user
 * in), token (the code grant with a real PKCE check, and the refresh-token grant), revoke and
 * logout. ID tokens come from the runtime's dev IdP with the lifetime asked for, so they expire
 * for real and the API refuses them afterwards. Everything the console sent is recorded.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { APIResponse, BrowserContext, Route } from 'playwright-core';
import { tokenFor } from './runtime.ts';

export const CITIZEN_AUTH = 'https://onestop-test-citizens.auth.ap-southeast-1.amazoncognito.com';
export const STAFF_AUTH = 'https://onestop-test-staff.auth.ap-southeast-1.amazoncognito.com';
export const CITIZEN_API = 'https://citizen-api.example.test';
export const STAFF_API = 'https://staff-api.example.test';
export const CLIENT_IDS = { citizen: 'citizenclient1', staff: 'staffclient1' } as const;

const config = {
  auth: 'cognito',
  stage: 'test',
  region: 'ap-southeast-1',
  citizenApiUrl: CITIZEN_API,
  citizenUserPoolId: 'ap-southeast-1_Citizens1',
  citizenClientId: CLIENT_IDS.citizen,
  citizenAuthDomain: CITIZEN_AUTH,
  staffApiUrl: STAFF_API,
  staffUserPoolId: 'ap-southeast-1_Staff1',
  staffClientId: CLIENT_IDS.staff,
  staffAuthDomain: STAFF_AUTH,
};

export interface ApiCall {
  /** which of the two APIs */
  origin: string;
  method: string;
  path: string;
  /** the bearer token sent, if any */
  token?: string;
  status: number;
}

export interface FakeCognito {
  /** authorize requests: each one is a sign-in through the hosted UI */
  authorize: URL[];
  /** the forms posted to /oauth2/token, of both grants */
  tokenForms: URLSearchParams[];
  /** refresh-token grants answered 400 invalid_grant */
  refusedRefreshes: number;
  revoked: string[];
  /** hosted-UI logouts (sign-outs) */
  logouts: URL[];
  /** every ID token handed out, oldest first */
  idTokens: string[];
  apiCalls: ApiCall[];
  /** makes every refresh token issued so far unusable (expired or revoked at Cognito's end) */
  revokeAll(): void;
}

const base64Url = (b: Buffer) =>
  b.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/**
 * Installs the fake on `ctx` for the console at `origin`; `user` is who signs in (the claims a
 * pool's ID token carries), `ttlSeconds` the life of each ID token.
 */
export async function fakeCognito(
  ctx: BrowserContext,
  origin: string,
  opts: { user: Record<string, string>; ttlSeconds: number },
): Promise<FakeCognito> {
  const live = new Set<string>();
  const challenges = new Map<string, string>();
  const fake: FakeCognito = {
    authorize: [],
    tokenForms: [],
    refusedRefreshes: 0,
    revoked: [],
    logouts: [],
    idTokens: [],
    apiCalls: [],
    revokeAll: () => live.clear(),
  };
  const idToken = async () => {
    const token = await tokenFor(origin, opts.user, opts.ttlSeconds);
    fake.idTokens.push(token);
    return token;
  };

  await ctx.route(`${origin}/config.json`, (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(config) }),
  );
  for (const api of [CITIZEN_API, STAFF_API]) {
    await ctx.route(`${api}/**`, async (route: Route) => {
      const request = route.request();
      const url = new URL(request.url());
      // read before forwarding: once the test closes the page, the request's headers are gone
      const authorization = await request.headerValue('authorization').catch(() => null);
      let response: Awaited<ReturnType<Route['fetch']>>;
      try {
        response = await route.fetch({ url: `${origin}${url.pathname}${url.search}` });
      } catch {
        return; // the test closed the page while the request was under way
      }
      if (request.method() !== 'OPTIONS') {
        const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
        fake.apiCalls.push({
          origin: api,
          method: request.method(),
          path: url.pathname,
          ...(token ? { token } : {}),
          status: response.status(),
        });
      }
      await answerFromRuntime(route, response, origin);
    });
  }
  for (const [pool, domain] of [
    ['citizen', CITIZEN_AUTH],
    ['staff', STAFF_AUTH],
  ] as const) {
    const cors = { 'access-control-allow-origin': origin };
    await ctx.route(`${domain}/oauth2/authorize**`, (route) => {
      const url = new URL(route.request().url());
      fake.authorize.push(url);
      const code = `code-${randomUUID()}`;
      challenges.set(code, url.searchParams.get('code_challenge') ?? '');
      const back = new URL(url.searchParams.get('redirect_uri') ?? '');
      back.search = new URLSearchParams({ code, state: url.searchParams.get('state') ?? '' }).toString();
      return route.fulfill({ status: 302, headers: { location: back.toString() } });
    });
    await ctx.route(`${domain}/oauth2/token`, async (route) => {
      const form = new URLSearchParams(route.request().postData() ?? '');
      fake.tokenForms.push(form);
      const invalid = () => route.fulfill({ status: 400, headers: cors, json: { error: 'invalid_grant' } });
      if (form.get('client_id') !== CLIENT_IDS[pool]) {
        return route.fulfill({ status: 400, headers: cors, json: { error: 'invalid_client' } });
      }
      if (form.get('grant_type') === 'authorization_code') {
        const code = form.get('code') ?? '';
        const verifier = form.get('code_verifier') ?? '';
        const pkceOk = challenges.get(code) === base64Url(createHash('sha256').update(verifier).digest());
        challenges.delete(code);
        if (!pkceOk) return invalid();
        const refreshToken = `refresh-${randomUUID()}`;
        live.add(refreshToken);
        return route.fulfill({
          status: 200,
          headers: cors,
          json: {
            id_token: await idToken(),
            access_token: 'not-used',
            refresh_token: refreshToken,
            token_type: 'Bearer',
            expires_in: opts.ttlSeconds,
          },
        });
      }
      if (form.get('grant_type') === 'refresh_token') {
        if (!live.has(form.get('refresh_token') ?? '')) {
          fake.refusedRefreshes++;
          return invalid();
        }
        // as Cognito without rotation: new ID and access tokens, no new refresh token
        return route.fulfill({
          status: 200,
          headers: cors,
          json: {
            id_token: await idToken(),
            access_token: 'not-used',
            token_type: 'Bearer',
            expires_in: opts.ttlSeconds,
          },
        });
      }
      return route.fulfill({ status: 400, headers: cors, json: { error: 'unsupported_grant_type' } });
    });
    await ctx.route(`${domain}/oauth2/revoke`, (route) => {
      const form = new URLSearchParams(route.request().postData() ?? '');
      const token = form.get('token') ?? '';
      fake.revoked.push(token);
      live.delete(token);
      return route.fulfill({ status: 200, headers: cors, body: '' });
    });
    await ctx.route(`${domain}/logout**`, (route) => {
      const url = new URL(route.request().url());
      fake.logouts.push(url);
      return route.fulfill({ status: 302, headers: { location: url.searchParams.get('logout_uri') ?? '/' } });
    });
  }
  return fake;
}

/**
 * Answers a forwarded API request with the runtime's response, as the API domain would (CORS for
 * the console's origin); a page closed meanwhile is not an error.
 */
export async function answerFromRuntime(route: Route, response: APIResponse, origin: string) {
  await route
    .fulfill({
      response,
      headers: {
        ...response.headers(),
        'access-control-allow-origin': origin,
        'access-control-allow-headers': 'authorization,content-type,accept-language,idempotency-key',
        'access-control-allow-methods': 'GET,POST,PUT,DELETE,OPTIONS',
      },
    })
    .catch(() => undefined);
}

/** When a JWT expires (ms since the epoch). */
export function expiryOf(token: string): number {
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
  return payload.exp * 1000;
}
