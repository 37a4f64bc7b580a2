/**
 * The local gateway (local/api-server.ts) accepting the tokens of OIDC providers given by
 * configuration, as the cn stage's JWT authorizers do: generic OpenID Connect providers run here
 * (the `oidc-provider` package, each with its own RSA signing key, serving discovery and JWKS),
 * two configured (citizens, staff) and one not. A token signed with a configured provider's key
 * reaches the handler, which makes the actor from its claims (the role from the issuer, the
 * staff role and agency from the configured claims); another issuer's token, a token naming a
 * configured issuer but signed with another key, an expired one and one for another audience are
 * refused with 401 before any handler runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer } from '../../local/api-server.ts';
import { devIdp } from '../../local/dev-idp.ts';
import { oidcIssuersFromEnv, oidcVerifier } from '../../local/oidc-issuers.ts';
import { birthForm } from '../support/forms.ts';
import { setupHandlers } from '../support/invoke.ts';
import { type Op, startProvider, token } from '../support/oidc-issuer.ts';

let citizens: Op;
let staff: Op;
let stranger: Op;
let gateway: Awaited<ReturnType<typeof startApiServer>>;
const saved = { ...process.env };

beforeAll(async () => {
  await setupHandlers();
  [citizens, staff, stranger] = await Promise.all([
    startProvider('citizen-key'),
    startProvider('staff-key'),
    startProvider('stranger-key'),
  ]);
  // what the cn stage gives its functions: the issuers, and the staff provider's claim names
  Object.assign(process.env, {
    CITIZEN_ISSUER: citizens.issuer,
    STAFF_ISSUER: staff.issuer,
    STAFF_ROLE_CLAIM: 'roles',
    AGENCY_CLAIM: 'agency',
    TOWNSHIP_CLAIM: 'township',
  });
  // and what the runtime reads from OIDC_ISSUERS
  const issuers = oidcIssuersFromEnv(
    JSON.stringify([
      { issuer: citizens.issuer, audiences: ['onestop-citizen'] },
      { issuer: staff.issuer, audiences: ['onestop-staff'] },
    ]),
  );
  gateway = await startApiServer({ port: 0, idp: await devIdp(), oidc: oidcVerifier(issuers ?? []) });
}, 60_000);
afterAll(async () => {
  process.env = saved;
  await gateway?.close();
  await Promise.all([citizens?.stop(), staff?.stop(), stranger?.stop()]);
});

async function call(method: string, path: string, bearer: string, body?: unknown) {
  const res = await fetch(`${gateway.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${bearer}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as any };
}

describe('the local gateway with OIDC issuers from configuration', () => {
  it('passes a citizen provider’s token to the handler, which makes a parent of its subject', async () => {
    const parent = await token(citizens, { sub: 'zjzw-330382-0001', name: '周敏' });
    const created = await call('POST', '/applications', parent, {
      service: 'birth-registration',
      form: birthForm(),
    });
    expect(created.status).toBe(201);
    const mine = await call('GET', '/applications', parent);
    expect(mine.status).toBe(200);
    expect(JSON.stringify(mine.body)).toContain(created.body.id);
    // another citizen of the same provider does not see it
    const other = await call('GET', '/applications', await token(citizens, { sub: 'zjzw-330382-0002' }));
    expect(other.status).toBe(200);
    expect(JSON.stringify(other.body)).not.toContain(created.body.id);
  });

  it('takes the staff role and agency from the staff provider’s claims, and a role claim from citizens not at all', async () => {
    const parent = await token(citizens, { sub: 'zjzw-330382-0003' });
    const created = await call('POST', '/applications', parent, {
      service: 'birth-registration',
      form: birthForm(),
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const worker = await token(
      staff,
      { sub: 'zzd-health-01', roles: ['caseworker'], agency: 'health', township: 'liushi' },
      { aud: 'onestop-staff' },
    );
    expect((await call('POST', `/applications/${id}/steps/birth-certificate/claim`, worker, {})).status).toBe(
      200,
    );
    // a citizen token claiming a staff role stays a parent: refused by the handler, not the gateway
    const forged = await token(citizens, { sub: 'zjzw-x', roles: ['caseworker'], agency: 'health' });
    const refused = await call('POST', `/applications/${id}/steps/birth-certificate/claim`, forged, {});
    expect(refused.status).toBe(403);
  });

  it('refuses with 401 another issuer’s token, a configured issuer signed with another key, an expired one and another audience', async () => {
    const refusedAtTheGate = [
      await token(stranger, { sub: 'x' }),
      await token(stranger, { sub: 'x' }, { iss: citizens.issuer }),
      await token(citizens, { sub: 'x' }, { expiresIn: Math.floor(Date.now() / 1000) - 5 }),
      await token(citizens, { sub: 'x' }, { aud: 'someone-else' }),
      await token(staff, { sub: 'x', roles: ['admin'] }, { aud: 'onestop-citizen' }),
    ];
    for (const bad of refusedAtTheGate) {
      const res = await call('GET', '/applications', bad);
      expect(res).toEqual({ status: 401, body: { message: 'Unauthorized' } });
    }
  });
});
