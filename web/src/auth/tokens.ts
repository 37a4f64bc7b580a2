/**
 * Reads the claims of a JWT in the browser and turns an ID token (Cognito's, or an OIDC
 * provider's with the claim names config.json gives) into the console's Session. Nothing here verifies a signature: the API's JWT authorizer does. The ID token (not the
 * access token) is the one kept, because only it carries `custom:agency` and `custom:township`,
 * which the API's actorFromClaims reads (functions/shared/http.ts); its `aud` is the client id,
 * which the authorizer accepts.
 */
import type { Role, Session, User } from '../session.ts';
import { type ClaimNames, COGNITO_CLAIMS, type PoolName } from './config.ts';

export type Claims = Record<string, unknown>;

/** Staff roles, highest precedence first (the groups of lib/constructs/user-pools.ts). */
const STAFF_ROLES: Role[] = ['admin', 'auditor', 'caseworker', 'agent'];

function base64UrlDecode(part: string): Uint8Array {
  const b64 = part.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** The payload of a compact JWS, or null when the token is not one. */
export function decodeJwtPayload(token: string): Claims | null {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return null;
  try {
    const json = new TextDecoder().decode(base64UrlDecode(parts[1]));
    const claims: unknown = JSON.parse(json);
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims)
      ? (claims as Claims)
      : null;
  } catch {
    return null;
  }
}

/** When the token expires (ms since the epoch), or null when it has no readable `exp`. */
export function tokenExpiresAt(token: string): number | null {
  const exp = decodeJwtPayload(token)?.exp;
  return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : null;
}

/** A token whose `exp` has passed, or that cannot be read at all, no longer signs anyone in. */
export function isExpired(token: string, nowMs: number): boolean {
  const expiresAt = tokenExpiresAt(token);
  return expiresAt === null || expiresAt <= nowMs;
}

/**
 * The role claim's values: an array (Cognito's `cognito:groups`, most OIDC providers' roles), or a
 * string, alone or in API Gateway's "[a b]" form or separated by spaces or commas.
 */
function groupsOf(claims: Claims, roleClaim: string): string[] {
  const raw = claims[roleClaim];
  if (Array.isArray(raw)) return raw.map(String);
  if (typeof raw === 'string')
    return raw
      .replace(/^\[|\]$/g, '')
      .split(/[\s,]+/)
      .filter(Boolean);
  return [];
}

/** The role a token of this pool grants: parent for citizens, the highest staff group otherwise. */
export function roleFromClaims(
  claims: Claims,
  pool: PoolName,
  names: ClaimNames = COGNITO_CLAIMS,
): Role | null {
  if (pool === 'citizen') return 'parent';
  const groups = groupsOf(claims, names.role);
  return STAFF_ROLES.find((role) => groups.includes(role)) ?? null;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;

/**
 * The session an ID token of `pool` opens, or null: not an ID token, expired, no subject, or a
 * staff account in no role group (an administrator has yet to add it to one).
 */
export function sessionFromIdToken(
  idToken: string,
  pool: PoolName,
  nowMs: number,
  names: ClaimNames = COGNITO_CLAIMS,
): Session | null {
  const claims = decodeJwtPayload(idToken);
  if (!claims || isExpired(idToken, nowMs)) return null;
  if (claims.token_use !== undefined && claims.token_use !== 'id') return null;
  const sub = text(claims.sub);
  const role = roleFromClaims(claims, pool, names);
  if (!sub || !role) return null;
  const user: User = { sub, role };
  if (pool === 'staff') {
    const agency = text(claims[names.agency]);
    const township = text(claims[names.township]);
    if (agency) user.agency = agency;
    if (township) user.township = township;
  }
  // The name shown in the banner: parents who signed up with a mobile number may have no name.
  const name = text(claims.name) ?? text(claims.email) ?? text(claims.phone_number);
  const email = text(claims.email);
  if (name) user.name = name;
  if (email) user.email = email;
  return { token: idToken, user };
}
