/**
 * `npm start` with OIDC_ISSUERS (and the issuers and claim names the cn stage gives its
 * functions): the runtime's gateway accepts the configured provider's tokens and the handlers
 * make the actor from their claims; another issuer's token is refused with 401.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { birthForm } from '../support/forms.ts';
import { type Op, startProvider, token } from '../support/oidc-issuer.ts';
import { ApiClient, type RuntimeProcess, startRuntimeProcess } from '../support/runtime-process.ts';

let citizens: Op;
let stranger: Op;
let rt: RuntimeProcess | undefined;
beforeAll(async () => {
  [citizens, stranger] = await Promise.all([startProvider('citizen-key'), startProvider('stranger-key')]);
});
afterAll(async () => {
  await rt?.stop();
  await Promise.all([citizens?.stop(), stranger?.stop()]);
});

describe('npm start with OIDC issuers from configuration', () => {
  it('accepts the configured provider’s tokens and refuses another issuer’s', async () => {
    rt = await startRuntimeProcess({
      OIDC_ISSUERS: JSON.stringify([{ issuer: citizens.issuer, audiences: ['onestop-citizen'] }]),
      CITIZEN_ISSUER: citizens.issuer,
      STAFF_ISSUER: 'https://staff-idp.example.test',
    });
    const parent = new ApiClient(rt.url, await token(citizens, { sub: 'zjzw-e2e-0001' }));
    const created = await parent.call('POST', '/applications', {
      service: 'birth-registration',
      form: birthForm(),
    });
    expect(created.status).toBe(201);
    const mine = await parent.call('GET', '/applications');
    expect(mine.status).toBe(200);
    expect(JSON.stringify(mine.body)).toContain(created.body.id);

    const other = new ApiClient(rt.url, await token(stranger, { sub: 'zjzw-e2e-0001' }));
    const refused = await other.call('GET', '/applications');
    expect(refused.status).toBe(401);
    const forged = new ApiClient(
      rt.url,
      await token(stranger, { sub: 'zjzw-e2e-0001' }, { iss: citizens.issuer }),
    );
    expect((await forged.call('GET', '/applications')).status).toBe(401);
  });
});
