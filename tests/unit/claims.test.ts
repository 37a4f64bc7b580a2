import { afterEach, describe, expect, it } from 'vitest';
import { actorFromClaims } from '#shared/http';

const CITIZEN = 'https://cognito-idp.ap-southeast-1.amazonaws.com/ap-southeast-1_citizens';
const STAFF = 'https://cognito-idp.ap-southeast-1.amazonaws.com/ap-southeast-1_staff';

describe('actorFromClaims', () => {
  afterEach(() => {
    delete process.env.CITIZEN_ISSUER;
    delete process.env.STAFF_ISSUER;
    delete process.env.STAFF_ROLE_CLAIM;
    delete process.env.AGENCY_CLAIM;
    delete process.env.TOWNSHIP_CLAIM;
  });

  it('reads the local dev IdP claims', () => {
    expect(
      actorFromClaims({ sub: 'cw-1', role: 'caseworker', agency: 'police', township: 'liushi' }),
    ).toEqual({
      sub: 'cw-1',
      role: 'caseworker',
      agency: 'police',
      township: 'liushi',
      name: undefined,
      email: undefined,
    });
  });

  it('makes a citizen-pool token a parent and a staff-pool token its highest group', () => {
    process.env.CITIZEN_ISSUER = CITIZEN;
    process.env.STAFF_ISSUER = STAFF;
    expect(actorFromClaims({ sub: 'p', iss: CITIZEN, email: 'p@example.com' })?.role).toBe('parent');
    const staff = actorFromClaims({
      sub: 's',
      iss: STAFF,
      'cognito:groups': '[caseworker auditor]',
      'custom:agency': 'health',
    });
    expect(staff).toMatchObject({ role: 'auditor', agency: 'health' });
  });

  it('refuses tokens without a known role or issuer', () => {
    process.env.STAFF_ISSUER = STAFF;
    expect(actorFromClaims({ sub: 'x' })).toBeNull();
    expect(actorFromClaims({ sub: 'x', role: 'superuser' })).toBeNull();
    expect(
      actorFromClaims({ sub: 'x', iss: 'https://evil.example', 'cognito:groups': '[admin]' }),
    ).toBeNull();
    expect(actorFromClaims({ sub: 'x', iss: STAFF, 'cognito:groups': '[visitors]' })).toBeNull();
    expect(actorFromClaims({ sub: 'x', iss: CITIZEN, 'custom:role': 'admin' })).toBeNull();
  });

  it('reads the role, agency and township from the claims an OIDC staff provider names (China stage)', () => {
    const staffIdp = 'https://zzd.example.gov.cn/oauth2';
    Object.assign(process.env, {
      CITIZEN_ISSUER: 'https://uias.example.gov.cn/oidc',
      STAFF_ISSUER: staffIdp,
      STAFF_ROLE_CLAIM: 'roles',
      AGENCY_CLAIM: 'org_code',
      TOWNSHIP_CLAIM: 'area_code',
    });
    const staff = actorFromClaims({
      sub: 's',
      iss: staffIdp,
      roles: ['caseworker'],
      org_code: 'civil-affairs',
      area_code: 'liushi',
    });
    expect(staff).toMatchObject({ role: 'caseworker', agency: 'civil-affairs', township: 'liushi' });
    // the role claim of another issuer grants nothing
    expect(actorFromClaims({ sub: 'x', iss: 'https://evil.example', roles: ['admin'] })).toBeNull();
  });
});
