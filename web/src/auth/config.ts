/**
 * The console's runtime configuration, read once at startup from `/config.json`, which the CDK app
 * deploys next to index.html (lib/stacks/stateless-stack.ts). No such file (the local runtime and
 * the Vite dev server answer with index.html) means local mode: the dev identity provider and the
 * API on the same origin. A file that is there but malformed is refused with a console error, and
 * local mode is used. Parsed by hand: the web bundle carries no zod.
 */

/** The two Cognito user pools: citizens (parents) and staff. */
export type PoolName = 'citizen' | 'staff';

export interface PoolConfig {
  /** API base URL without a trailing slash, e.g. `https://abc.execute-api.ap-southeast-1.amazonaws.com` */
  apiUrl: string;
  userPoolId: string;
  clientId: string;
  /** Hosted-UI origin, e.g. `https://onestop-dev-citizens-1a2b3c4d.auth.ap-southeast-1.amazoncognito.com` */
  authDomain: string;
}

export interface LocalConfig {
  auth: 'local';
}

export interface CognitoConfig {
  auth: 'cognito';
  stage: string;
  region: string;
  pools: Record<PoolName, PoolConfig>;
}

/** One OIDC provider as the console signs in with it (a public client with PKCE). */
export interface OidcPoolConfig {
  apiUrl: string;
  /** the `iss` of its tokens; `<issuer>/.well-known/openid-configuration` names its endpoints */
  issuer: string;
  clientId: string;
  scopes: string[];
}

/** The staff token's claims that name the role, agency and township (lib/config/stage-config.ts). */
export interface ClaimNames {
  role: string;
  agency: string;
  township: string;
}

/** What Cognito's ID tokens carry (lib/constructs/user-pools.ts). */
export const COGNITO_CLAIMS: ClaimNames = {
  role: 'cognito:groups',
  agency: 'custom:agency',
  township: 'custom:township',
};
/** The defaults of an `oidc` identity in the stage configuration. */
export const OIDC_DEFAULT_CLAIMS: ClaimNames = { role: 'roles', agency: 'agency', township: 'township' };

/**
 * Any OIDC provider per pool (the China stage: the province's unified identity for citizens, the
 * government staff identity for staff); endpoints come from each issuer's discovery document.
 */
export interface OidcConfig {
  auth: 'oidc';
  stage: string;
  pools: Record<PoolName, OidcPoolConfig>;
  claims: ClaimNames;
}

export type HostedConfig = CognitoConfig | OidcConfig;
export type RuntimeConfig = LocalConfig | HostedConfig;

export const LOCAL_CONFIG: LocalConfig = { auth: 'local' };

export type ParseResult = { ok: true; config: RuntimeConfig } | { ok: false; problems: string[] };

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const USER_POOL_ID = /^[a-z]{2}(-[a-z]+)+-\d_[0-9A-Za-z]+$/;
const CLIENT_ID = /^[0-9a-z]{1,128}$/;
/** OAuth client ids are any visible ASCII (RFC 6749 appendix A.1). */
const OIDC_CLIENT_ID = /^[\x20-\x7e]{1,256}$/;

/**
 * An https URL, or http on the loopback (a provider run on the developer's machine, as RFC 8252
 * allows for native clients); null otherwise.
 */
export function secureUrl(value: unknown): URL | null {
  if (typeof value !== 'string') return null;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return null;
  }
  if (parsed.protocol === 'https:') return parsed;
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
  return parsed.protocol === 'http:' && loopback ? parsed : null;
}

/** Checks the shape of config.json; every problem is named, none is silently repaired. */
export function parseRuntimeConfig(value: unknown): ParseResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, problems: ['the file is not a JSON object'] };
  }
  const raw = value as Record<string, unknown>;
  if (raw.auth === 'local') return { ok: true, config: LOCAL_CONFIG };
  if (raw.auth !== 'cognito' && raw.auth !== 'oidc') {
    return {
      ok: false,
      problems: [`auth must be "cognito", "oidc" or "local", not ${JSON.stringify(raw.auth)}`],
    };
  }

  const problems: string[] = [];
  const text = (key: string, pattern?: RegExp): string => {
    const v = raw[key];
    if (typeof v !== 'string' || v === '' || (pattern && !pattern.test(v))) {
      problems.push(`${key} is missing or malformed`);
      return '';
    }
    return v;
  };
  /** An https URL; `originOnly` refuses a path (hosted-UI domains are origins). */
  const url = (key: string, originOnly: boolean): string => {
    const parsed = secureUrl(raw[key]);
    if (parsed?.protocol !== 'https:' || parsed.search || parsed.hash || parsed.username) {
      problems.push(`${key} must be an https URL`);
      return '';
    }
    if (originOnly && parsed.pathname !== '/') {
      problems.push(`${key} must be an origin without a path`);
      return '';
    }
    return originOnly ? parsed.origin : `${parsed.origin}${parsed.pathname}`.replace(/\/+$/, '');
  };
  const pool = (name: PoolName): PoolConfig => ({
    apiUrl: url(`${name}ApiUrl`, false),
    userPoolId: text(`${name}UserPoolId`, USER_POOL_ID),
    clientId: text(`${name}ClientId`, CLIENT_ID),
    authDomain: url(`${name}AuthDomain`, true),
  });

  if (raw.auth === 'oidc') {
    const scopes = (key: string): string[] => {
      const v = raw[key];
      if (v === undefined) return ['openid', 'profile'];
      const list = typeof v === 'string' ? v.split(/\s+/).filter(Boolean) : [];
      if (!list.includes('openid') || list.some((s) => !/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(s))) {
        problems.push(`${key} must be space-separated scopes including openid`);
      }
      return list;
    };
    const claim = (key: string, fallback: string): string => (raw[key] === undefined ? fallback : text(key));
    const issuerUrl = (key: string): string => {
      const parsed = secureUrl(raw[key]);
      if (!parsed || parsed.search || parsed.hash || parsed.username) {
        problems.push(`${key} must be an https URL`);
        return '';
      }
      // kept as written: it is compared with the discovery document's `issuer` character for character
      return String(raw[key]);
    };
    const provider = (name: PoolName): OidcPoolConfig => ({
      apiUrl: url(`${name}ApiUrl`, false),
      issuer: issuerUrl(`${name}Issuer`),
      clientId: text(`${name}ClientId`, OIDC_CLIENT_ID),
      scopes: scopes(`${name}Scopes`),
    });
    const oidc: OidcConfig = {
      auth: 'oidc',
      stage: text('stage'),
      pools: { citizen: provider('citizen'), staff: provider('staff') },
      claims: {
        role: claim('roleClaim', OIDC_DEFAULT_CLAIMS.role),
        agency: claim('agencyClaim', OIDC_DEFAULT_CLAIMS.agency),
        township: claim('townshipClaim', OIDC_DEFAULT_CLAIMS.township),
      },
    };
    return problems.length ? { ok: false, problems } : { ok: true, config: oidc };
  }

  const config: CognitoConfig = {
    auth: 'cognito',
    stage: text('stage'),
    region: text('region', REGION),
    pools: { citizen: pool('citizen'), staff: pool('staff') },
  };
  return problems.length ? { ok: false, problems } : { ok: true, config };
}

type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;
type ErrorLog = Pick<Console, 'error'>;

/** Fetches and parses `/config.json`; local mode when absent, and (with an error) when malformed. */
export async function loadRuntimeConfig(
  fetchImpl: FetchLike = (input, init) => fetch(input, init),
  log: ErrorLog = console,
): Promise<RuntimeConfig> {
  let res: Response;
  try {
    res = await fetchImpl('/config.json', { cache: 'no-store', headers: { accept: 'application/json' } });
  } catch {
    return LOCAL_CONFIG;
  }
  // Static hosts answer a missing file with the SPA's index.html (200, text/html) or a 404.
  if (!res.ok || !/\bjson\b/i.test(res.headers.get('content-type') ?? '')) return LOCAL_CONFIG;
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    log.error('Onestop: /config.json is not valid JSON; falling back to local sign-in.');
    return LOCAL_CONFIG;
  }
  const parsed = parseRuntimeConfig(body);
  if (!parsed.ok) {
    log.error(
      `Onestop: /config.json is malformed (${parsed.problems.join('; ')}); falling back to local sign-in.`,
    );
    return LOCAL_CONFIG;
  }
  return parsed.config;
}

let current: RuntimeConfig = LOCAL_CONFIG;

/** The configuration in force (local until `initRuntimeConfig` has run). */
export const runtimeConfig = (): RuntimeConfig => current;

/** Loads the configuration once, before the app renders (web/src/main.tsx). */
export async function initRuntimeConfig(): Promise<RuntimeConfig> {
  current = await loadRuntimeConfig();
  return current;
}
