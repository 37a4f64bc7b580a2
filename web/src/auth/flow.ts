/**
 * Hosted-UI sign-in bound to the browser: leaves for the pool's managed login page with a fresh
 * PKCE verifier and state (kept in this tab's sessionStorage), finishes the callback once per
 * code, renews the session with its refresh token, and on sign-out revokes the refresh token and
 * ends the hosted-UI session. Only used in cognito mode.
 */
import type { Lang } from '../i18n.tsx';
import { installRenewal, onSignOut, type Role } from '../session.ts';
import { clearStashes } from '../unsaved.ts';
import { type CognitoConfig, type PoolName, runtimeConfig } from './config.ts';
import {
  authorizeUrl,
  type CallbackOutcome,
  callbackUri,
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

function cognitoConfig(): CognitoConfig {
  const config = runtimeConfig();
  if (config.auth !== 'cognito') throw new Error('Hosted-UI sign-in needs config.json with auth "cognito"');
  return config;
}

/** Sends the browser to the hosted UI of the pool that `role` signs in with. */
export async function beginSignIn(role: Role, returnTo: string, lang: Lang): Promise<void> {
  const config = cognitoConfig();
  const pool: PoolName = poolOfRole(role);
  const verifier = randomUrlSafe(32);
  const state = randomUrlSafe(16);
  const codeChallenge = await s256Challenge(verifier);
  const pending: PendingSignIn = { state, verifier, pool, returnTo };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  window.location.assign(
    authorizeUrl({
      pool: config.pools[pool],
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
    config.auth === 'cognito'
      ? completeCallback({
          query,
          pending: takePending(),
          config,
          origin: window.location.origin,
          fetchImpl: (input, init) => fetch(input, init),
          nowMs: Date.now(),
        })
      : Promise.resolve<CallbackOutcome>({ kind: 'error', reason: 'state', returnTo: '/' });
  inflight = { key, outcome };
  return outcome;
}

/**
 * Sessions on AWS renew with the refresh-token grant; locally they do not (the dev IdP's tokens
 * last 12 hours). Signing out forgets what the user typed and did not send; in cognito mode it
 * also revokes the refresh token and ends the hosted-UI session, which returns to the front page.
 */
export function installHostedSession(): void {
  const config = runtimeConfig();
  onSignOut(() => clearStashes());
  if (config.auth !== 'cognito') {
    installRenewal(null);
    return;
  }
  installRenewal((session) =>
    renewWithRefreshToken({
      session,
      config,
      fetchImpl: (input, init) => fetch(input, init),
      nowMs: Date.now(),
    }),
  );
  onSignOut((previous) => {
    const pool = config.pools[poolOfRole(previous.user.role)];
    if (previous.refreshToken) {
      const { url, init } = revokeRequest(pool, previous.refreshToken);
      void fetch(url, init).catch(() => undefined);
    }
    window.location.assign(logoutUrl(pool, window.location.origin));
  });
}
