/**
 * The local dev identity provider: signs ES256 JWTs for demo users (the Cognito stand-in of the
 * embedded runtime) and verifies them exactly as the API's JWT authorizer would (signature,
 * issuer, audience, expiry). The key pair persists under .local/ so tokens survive a restart.
 * Never deployed.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type CryptoKey, exportJWK, generateKeyPair, importJWK, type JWK, jwtVerify, SignJWT } from 'jose';
import * as z from 'zod';

export const ISSUER = 'https://idp.onestop.local';
export const AUDIENCE = 'onestop-api';
const TOKEN_TTL = '12h';

export const tokenRequest = z.strictObject({
  sub: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[\w.@-]+$/),
  role: z.enum(['parent', 'caseworker', 'auditor', 'admin']),
  agency: z.string().max(40).optional(),
  township: z.string().max(40).optional(),
  name: z.string().max(60).optional(),
  email: z.email().optional(),
});
export type TokenRequest = z.infer<typeof tokenRequest>;

export interface DevIdp {
  sign(claims: TokenRequest, ttl?: string): Promise<string>;
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
      return new SignJWT({ ...rest, token_use: 'id' })
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
      });
      return payload as Record<string, unknown>;
    },
  };
}

/** The demo users printed at start (one per agency and role). */
export const demoUsers: TokenRequest[] = [
  { sub: 'parent-wang', role: 'parent', name: '王丽 Wang Li', email: 'wang.li@example.com' },
  { sub: 'parent-chen', role: 'parent', name: '陈静 Chen Jing', email: 'chen.jing@example.com' },
  { sub: 'cw-health', role: 'caseworker', agency: 'health', name: '卫健局 张医生' },
  {
    sub: 'cw-police-liushi',
    role: 'caseworker',
    agency: 'police',
    township: 'liushi',
    name: '柳市派出所 李警官',
  },
  {
    sub: 'cw-police-lecheng',
    role: 'caseworker',
    agency: 'police',
    township: 'lecheng',
    name: '乐成派出所 赵警官',
  },
  { sub: 'cw-insurance', role: 'caseworker', agency: 'medical-insurance', name: '医保局 周科员' },
  { sub: 'cw-hrss', role: 'caseworker', agency: 'hrss', name: '人社局 吴科员' },
  { sub: 'cw-cdc', role: 'caseworker', agency: 'cdc', name: '疾控中心 郑医生' },
  { sub: 'cw-delivery', role: 'caseworker', agency: 'service-center', name: '市民中心 孙科员' },
  { sub: 'auditor-1', role: 'auditor', name: '审计 钱审计员' },
  { sub: 'admin-1', role: 'admin', name: '管理员 冯管理员' },
  {
    sub: 'cw-dpf-liushi',
    role: 'caseworker',
    agency: 'dpf-township',
    township: 'liushi',
    name: '柳市镇残联 林干事',
  },
  {
    sub: 'cw-dpf-lecheng',
    role: 'caseworker',
    agency: 'dpf-township',
    township: 'lecheng',
    name: '乐成街道残联 黄干事',
  },
  { sub: 'cw-dpf-city', role: 'caseworker', agency: 'dpf-city', name: '市残联康复部 徐科长' },
  {
    sub: 'cw-rehab-center',
    role: 'caseworker',
    agency: 'rehab-institution:yq-rehab-center',
    name: '市残疾人康复中心 叶治疗师',
  },
  {
    sub: 'cw-rehab-liushi',
    role: 'caseworker',
    agency: 'rehab-institution:liushi-xingyu',
    name: '星语儿童康复中心 潘老师',
  },
];
