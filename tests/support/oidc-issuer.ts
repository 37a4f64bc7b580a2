/**
 * Generic OpenID Connect providers for gateway tests (the `oidc-provider` package): each on a
 * free port with its own RSA signing key, serving discovery and JWKS, and a way to sign ID
 * tokens with that key (what the provider's token endpoint would hand out after a sign-in).
 */
import { createServer } from 'node:http';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import Provider from 'oidc-provider';

export interface Op {
  issuer: string;
  key: CryptoKey;
  kid: string;
  stop(): Promise<void>;
}

/** An oidc-provider instance on a free port, signing with a key this test also holds. */
export async function startProvider(kid: string): Promise<Op> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
  // the issuer carries the port: listen first, then mount the provider on the server
  let handler: ((req: never, res: never) => void) | undefined;
  const server = createServer((req, res) => handler?.(req as never, res as never));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    jwks: { keys: [jwk as never] },
    cookies: { keys: [`cookie-${kid}`] },
    clients: [],
  });
  handler = provider.callback() as never;
  return {
    issuer,
    key: privateKey,
    kid,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const token = (
  op: Op,
  claims: Record<string, unknown>,
  opts: { iss?: string; aud?: string; expiresIn?: number | string } = {},
) =>
  new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: op.kid })
    .setIssuer(opts.iss ?? op.issuer)
    .setAudience(opts.aud ?? 'onestop-citizen')
    .setIssuedAt()
    .setExpirationTime(opts.expiresIn ?? '5m')
    .sign(op.key);
