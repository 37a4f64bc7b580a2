/**
 * The local dev identity provider: signs ES256 JWTs for demo users (the Cognito stand-in of the
 * embedded runtime) and verifies them exactly as the API's JWT authorizer would (signature,
 * issuer, audience, expiry, not-before), and refuses tokens issued in the future beyond a small
 * clock skew. The key pair persists under .local/ so tokens survive a restart.
 * Never deployed.
 */

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type CryptoKey, exportJWK, generateKeyPair, importJWK, type JWK, jwtVerify, SignJWT } from 'jose';
import * as z from 'zod';
import type { DemoUser } from '../functions/core/module.ts';
import { modules } from '../functions/services/registry.ts';
import { demoUsers as kernelDemoUsers } from './demo-users.ts';

export const ISSUER = 'https://idp.onestop.local';
export const AUDIENCE = 'onestop-api';
const TOKEN_TTL = '12h';
/** How far in the future a token's `iat` or `nbf` may lie (clocks drift a little). */
export const CLOCK_SKEW_SECONDS = 60;

export const tokenRequest = z.strictObject({
  sub: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[\w.@-]+$/),
  role: z.enum(['parent', 'caseworker', 'auditor', 'admin', 'agent']),
  agency: z.string().max(40).optional(),
  township: z.string().max(40).optional(),
  name: z.string().max(60).optional(),
  email: z.email().optional(),
  /** seconds until the token expires (default 12 h); tests ask for short-lived tokens */
  expiresIn: z.int().min(5).max(43_200).optional(),
});
export type TokenRequest = z.infer<typeof tokenRequest>;

export interface DevIdp {
  /** `ttl`: a jose time span ('12h') or an absolute expiry in epoch seconds */
  sign(claims: Omit<TokenRequest, 'expiresIn'>, ttl?: string | number): Promise<string>;
  verify(token: string): Promise<Record<string, unknown>>;
}

export async function devIdp(keyFile?: string): Promise<DevIdp> {
  let privateKey: CryptoKey;
  let publicKey: CryptoKey;
  if (keyFile && existsSync(keyFile)) {
    const jwks = JSON.parse(readFileSync(keyFile, 'utf8')) as { privateJwk: JWK; publicJwk: JWK };
    privateKey = (await importJWK(jwks.privateJwk, 'ES256')) as CryptoKey;
    publicKey = (await importJWK(jwks.publicJwk, 'ES256')) as CryptoKey;
  } else {
    ({ privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true }));
    if (keyFile) {
      mkdirSync(dirname(keyFile), { recursive: true });
      writeFileSync(
        keyFile,
        JSON.stringify({ privateJwk: await exportJWK(privateKey), publicJwk: await exportJWK(publicKey) }),
        { mode: 0o600 },
      );
    }
  }
  return {
    async sign(claims, ttl = TOKEN_TTL) {
      const { sub, ...rest } = claims;
      // Also the claims a Cognito ID token carries (groups, custom attributes), so the console can
      // read a staff token as it reads one of the staff pool (tests standing in for the hosted UI);
      // the API reads `role` and `agency` here (functions/shared/http.ts actorFromClaims).
      const cognito = {
        ...(rest.role === 'parent' ? {} : { 'cognito:groups': [rest.role] }),
        ...(rest.agency ? { 'custom:agency': rest.agency } : {}),
        ...(rest.township ? { 'custom:township': rest.township } : {}),
      };
      return new SignJWT({ ...rest, ...cognito, token_use: 'id' })
        .setProtectedHeader({ alg: 'ES256', kid: 'local' })
        .setSubject(sub)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(ttl)
        .sign(privateKey);
    },
    async verify(token) {
      const { payload } = await jwtVerify(token, publicKey, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['ES256'],
        requiredClaims: ['iat', 'exp'],
        clockTolerance: CLOCK_SKEW_SECONDS, // for nbf; exp is checked without it below
      });
      const now = Date.now() / 1000;
      if ((payload.exp ?? 0) <= now) throw new Error('token expired');
      if ((payload.iat ?? 0) > now + CLOCK_SKEW_SECONDS) throw new Error('token issued in the future');
      return payload as Record<string, unknown>;
    },
  };
}

/**
 * The demo users printed at start and offered by the console (`GET /local/users`): the kernel's
 * (local/demo-users.ts) and each service module's own (ServiceModule.local.demoUsers).
 */
export const demoUsers: DemoUser[] = [
  ...kernelDemoUsers,
  ...modules.flatMap((m) => m.local?.demoUsers ?? []),
];
