/**
 * Hosted sign-in bound to the browser: leaves for the pool's sign-in page (Cognito's managed login
 * or the OIDC provider's) with a fresh PKCE verifier and state (kept in this tab's
 * sessionStorage), finishes the callback once per code, renews the session with its refresh
 * token, and on sign-out revokes the refresh token and ends the provider's session. Used in
 * cognito and oidc modes.
 */
import type { Lang } from '../i18n.tsx';
import { installRenewal, onSignOut, type Role } from '../session.ts';
import { clearStashes } from '../unsaved.ts';
import { type HostedConfig, type PoolName, runtimeConfig } from './config.ts';
import {
  authorizeUrl,
  type CallbackOutcome,
  type ClientOf,
  callbackUri,
  clientResolver,
  completeCallback,
  logoutUrl,
  type PendingSignIn,
  parsePending,
  poolOfRole,
  randomUrlSafe,
  renewWithRefreshToken,
  revokeRequest,
  s256Challenge,
} from './hosted-ui.ts';

const PENDING_KEY = 'onestop.auth.pending';

function hostedConfig(): HostedConfig {
  const config = runtimeConfig();
  if (config.auth === 'local')
    throw new Error('Hosted sign-in needs config.json with auth "cognito" or "oidc"');
  return config;
}

const browserFetch = (input: string, init?: RequestInit) => fetch(input, init);

// Each pool's client, resolved once per page (an OIDC provider's discovery document is fetched
// once; a failed fetch is tried again on the next use).
let clients: { config: HostedConfig; clientOf: ClientOf } | null = null;
function clientOf(config: HostedConfig): ClientOf {
  if (clients?.config !== config) {
    const resolve = clientResolver(config, browserFetch);
    const cache = new Map<PoolName, ReturnType<ClientOf>>();
    clients = {
      config,
      clientOf: (pool) => {
        let client = cache.get(pool);
        if (!client) {
          client = resolve(pool);
          cache.set(pool, client);
          client.catch(() => cache.delete(pool));
        }
        return client;
      },
    };
  }
  return clients.clientOf;
}

/** Sends the browser to the sign-in page of the pool that `role` signs in with. */
export async function beginSignIn(role: Role, returnTo: string, lang: Lang): Promise<void> {
  const config = hostedConfig();
  const pool: PoolName = poolOfRole(role);
  const client = await clientOf(config)(pool);
  const verifier = randomUrlSafe(32);
  const state = randomUrlSafe(16);
  const codeChallenge = await s256Challenge(verifier);
  const pending: PendingSignIn = { state, verifier, pool, returnTo };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  window.location.assign(
    authorizeUrl({
      pool: client,
      redirectUri: callbackUri(window.location.origin),
      state,
      codeChallenge,
      lang,
    }),
  );
}

/** The pending sign-in of this tab, removed as it is read: a state and a verifier serve once. */
function takePending(): PendingSignIn | null {
  try {
    const raw = sessionStorage.getItem(PENDING_KEY);
    sessionStorage.removeItem(PENDING_KEY);
    return parsePending(raw);
  } catch {
    return null;
  }
}

// An authorization code can be exchanged once; React's development double effects must not try twice.
let inflight: { key: string; outcome: Promise<CallbackOutcome> } | null = null;

/** Finishes the sign-in the callback URL's query reports. */
export function finishSignIn(query: URLSearchParams): Promise<CallbackOutcome> {
  const key = query.toString();
  if (inflight?.key === key) return inflight.outcome;
  const config = runtimeConfig();
  const outcome =
    config.auth !== 'local'
      ? completeCallback({
          query,
          pending: takePending(),
          config,
          clientOf: clientOf(config),
          origin: window.location.origin,
          fetchImpl: browserFetch,
          nowMs: Date.now(),
        })
      : Promise.resolve<CallbackOutcome>({ kind: 'error', reason: 'state', returnTo: '/' });
  inflight = { key, outcome };
  return outcome;
}

/**
 * Sessions on AWS renew with the refresh-token grant; locally they do not (the dev IdP's tokens
 * last 12 hours). Signing out forgets what the user typed and did not send; in cognito and oidc
 * modes it also revokes the refresh token (where the provider offers revocation) and ends the
 * provider's session (where it offers logout), which returns to the front page.
 */
export function installHostedSession(): void {
  const config = runtimeConfig();
  onSignOut(() => clearStashes());
  if (config.auth === 'local') {
    installRenewal(null);
    return;
  }
  installRenewal((session) =>
    renewWithRefreshToken({
      session,
      config,
      clientOf: clientOf(config),
      fetchImpl: browserFetch,
      nowMs: Date.now(),
    }),
  );
  onSignOut((previous) => {
    void clientOf(config)(poolOfRole(previous.user.role))
      .then((client) => {
        const revoke = previous.refreshToken ? revokeRequest(client, previous.refreshToken) : null;
        if (revoke) void fetch(revoke.url, revoke.init).catch(() => undefined);
        const logout = logoutUrl(client, window.location.origin, previous.token);
        if (logout) window.location.assign(logout);
      })
      .catch(() => undefined); // no discovery document: the console's own session has ended anyway
  });
}
