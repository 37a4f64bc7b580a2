/**
 * The local gateway's stand-in for API Gateway's JWT authorizer on OIDC providers (the China
 * stage's identity): tokens of the issuers given by configuration are verified as the authorizer
 * verifies them. The issuer's discovery document (`<issuer>/.well-known/openid-configuration`,
 * whose `issuer` must be the configured one) names its JWKS; the token must be signed with one of
 * those keys (RS256, the only algorithm API Gateway accepts), carry exactly that `iss`, an `aud`
 * among the configured audiences (or, without `aud`, a `client_id` among them), and be live
 * (`exp`, `nbf`). Discovery and keys are fetched once per issuer (again after a failure; jose's
 * key set refetches on an unknown `kid`).
 *
 * Configured locally with OIDC_ISSUERS, a JSON list `[{ "issuer": "https://…", "audiences": ["…"] }]`
 * (local/runtime.ts). Never deployed: in AWS API Gateway does this.
 */
import { createRemoteJWKSet, decodeJwt, type JWTVerifyGetKey, jwtVerify } from 'jose';
import * as z from 'zod';

export const oidcIssuersSchema = z.array(
  z.strictObject({
    issuer: z.url(),
    audiences: z.array(z.string().min(1)).min(1),
  }),
);
export type OidcIssuers = z.infer<typeof oidcIssuersSchema>;

export interface OidcVerifier {
  /** true when the token names one of the configured issuers (without verifying anything) */
  names(token: string): boolean;
  /** the verified claims, or an error */
  verify(token: string): Promise<Record<string, unknown>>;
}

/** OIDC_ISSUERS, parsed; undefined when unset. */
export function oidcIssuersFromEnv(value = process.env.OIDC_ISSUERS): OidcIssuers | undefined {
  if (!value) return undefined;
  const parsed = oidcIssuersSchema.safeParse(JSON.parse(value));
  if (!parsed.success) throw new Error(`OIDC_ISSUERS: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

const issuerOf = (token: string): string | undefined => {
  try {
    const iss = decodeJwt(token).iss;
    return typeof iss === 'string' ? iss : undefined;
  } catch {
    return undefined;
  }
};

export function oidcVerifier(issuers: OidcIssuers): OidcVerifier {
  const keySets = new Map<string, Promise<JWTVerifyGetKey>>();
  const keysOf = (issuer: string): Promise<JWTVerifyGetKey> => {
    let keys = keySets.get(issuer);
    if (!keys) {
      keys = (async () => {
        const res = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, {
          signal: AbortSignal.timeout(5_000),
        });
        if (!res.ok) throw new Error(`discovery of ${issuer}: HTTP ${res.status}`);
        const doc = (await res.json()) as { issuer?: unknown; jwks_uri?: unknown };
        if (doc.issuer !== issuer) throw new Error(`discovery of ${issuer} names another issuer`);
        if (typeof doc.jwks_uri !== 'string') throw new Error(`discovery of ${issuer} has no jwks_uri`);
        return createRemoteJWKSet(new URL(doc.jwks_uri));
      })();
      keys.catch(() => keySets.delete(issuer)); // an outage is not cached
      keySets.set(issuer, keys);
    }
    return keys;
  };

  return {
    names: (token) => {
      const iss = issuerOf(token);
      return iss !== undefined && issuers.some((i) => i.issuer === iss);
    },
    async verify(token) {
      const iss = issuerOf(token);
      const config = issuers.find((i) => i.issuer === iss);
      if (!config) throw new Error('not a configured issuer');
      const { payload } = await jwtVerify(token, await keysOf(config.issuer), {
        issuer: config.issuer,
        algorithms: ['RS256'],
        requiredClaims: ['exp'],
      });
      const aud = payload.aud;
      const audiences = aud === undefined ? [] : Array.isArray(aud) ? aud : [aud];
      const clientId = (payload as { client_id?: unknown }).client_id;
      const allowed =
        audiences.length > 0
          ? audiences.some((a) => config.audiences.includes(a))
          : typeof clientId === 'string' && config.audiences.includes(clientId);
      if (!allowed) throw new Error('audience not allowed');
      return payload as Record<string, unknown>;
    },
  };
}
