/**
 * A local fake of Alibaba Cloud SMS's HTTP API (dysmsapi 2017-05-25 `SendSms`, RPC style) for
 * tests: it checks what the real one checks before sending (the RPC signature with the one key
 * pair it knows, a fresh timestamp and nonce, the registered signature, the template and all its
 * variables, a mainland number) and answers in the provider's JSON shape; each accepted message
 * is recorded with the text the provider would render from the registered template. `failNext`
 * programs answers (a provider error code and HTTP status) for the next requests.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSms {
  to: string;
  signName: string;
  templateCode: string;
  params: Record<string, string>;
  /** 【signature】 + the registered template with its variables filled */
  text: string;
  bizId: string;
}

export interface AliyunSmsFake {
  url: string;
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  templates: { status: string; code: string };
  sent: FakeSms[];
  /** requests refused (bad signature etc.), by provider code */
  refused: string[];
  failNext(...answers: Array<{ status: number; code: string }>): void;
  stop(): Promise<void>;
}

/** The template texts a city registers (docs/deploy.md, China regions), as the fake renders them. */
export const registeredTemplates = (consoleUrl: string) => ({
  status: `您的\${service}申请（编号\${number}）：\${status}。请登录 ${consoleUrl} 查看详情。`,
  code: `您的办件进度查询验证码为：\${code}，10分钟内有效。如非本人操作，请忽略本短信。`,
});

const enc = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Computed here independently of the adapter, from the provider's documented algorithm. */
function expectedSignature(method: string, params: Record<string, string>, secret: string) {
  const canonical = Object.keys(params)
    .filter((k) => k !== 'Signature')
    .sort()
    .map((k) => `${enc(k)}=${enc(params[k] as string)}`)
    .join('&');
  return createHmac('sha1', `${secret}&`)
    .update(`${method}&${enc('/')}&${enc(canonical)}`)
    .digest('base64');
}

export async function startAliyunSmsFake(
  opts: { consoleUrl?: string; signName?: string } = {},
): Promise<AliyunSmsFake> {
  const accessKeyId = 'LTAI5tFakeKeyId0001';
  const accessKeySecret = randomUUID();
  const signName = opts.signName ?? '乐清Onestop';
  const templates = { status: 'SMS_480000001', code: 'SMS_480000002' };
  const texts = registeredTemplates(opts.consoleUrl ?? 'https://onestop.example.gov.cn');
  const byCode: Record<string, string> = { [templates.status]: texts.status, [templates.code]: texts.code };
  const sent: FakeSms[] = [];
  const refused: string[] = [];
  const programmed: Array<{ status: number; code: string }> = [];
  const nonces = new Set<string>();

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = (status: number, body: Record<string, string>) => {
        if (body.Code !== 'OK') refused.push(body.Code ?? '');
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ RequestId: randomUUID(), ...body }));
      };
      const fail = (status: number, code: string) => answer(status, { Code: code, Message: code });
      const url = new URL(req.url ?? '/', 'http://fake');
      const source =
        req.method === 'POST'
          ? new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
          : url.searchParams;
      const p = Object.fromEntries(source.entries());
      if (p.AccessKeyId !== accessKeyId) return fail(404, 'InvalidAccessKeyId.NotFound');
      const signature = expectedSignature(req.method ?? 'GET', p, accessKeySecret);
      const given = Buffer.from(p.Signature ?? '');
      if (given.length !== Buffer.from(signature).length || !timingSafeEqual(given, Buffer.from(signature)))
        return fail(400, 'SignatureDoesNotMatch');
      if (p.SignatureMethod !== 'HMAC-SHA1' || p.SignatureVersion !== '1.0')
        return fail(400, 'InvalidSignatureMethod');
      const at = Date.parse(p.Timestamp ?? '');
      if (
        !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(p.Timestamp ?? '') ||
        Math.abs(Date.now() - at) > 15 * 60_000
      )
        return fail(400, 'InvalidTimeStamp.Expired');
      if (!p.SignatureNonce || nonces.has(p.SignatureNonce)) return fail(400, 'SignatureNonceUsed');
      nonces.add(p.SignatureNonce);
      if (p.Action !== 'SendSms' || p.Version !== '2017-05-25') return fail(400, 'InvalidAction.NotFound');
      const next = programmed.shift();
      if (next) return fail(next.status, next.code);
      if (p.SignName !== signName) return fail(200, 'isv.SMS_SIGNATURE_ILLEGAL');
      const template = byCode[p.TemplateCode ?? ''];
      if (!template) return fail(200, 'isv.SMS_TEMPLATE_ILLEGAL');
      if (!/^1\d{10}$/.test(p.PhoneNumbers ?? '')) return fail(200, 'isv.MOBILE_NUMBER_ILLEGAL');
      let params: Record<string, string>;
      try {
        params = JSON.parse(p.TemplateParam ?? '{}') as Record<string, string>;
      } catch {
        return fail(200, 'isv.INVALID_JSON_PARAM');
      }
      const names = [...template.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1] as string);
      if (names.some((n) => typeof params[n] !== 'string' || params[n] === ''))
        return fail(200, 'isv.TEMPLATE_MISSING_PARAMETERS');
      if (Object.values(params).some((v) => [...v].length > 35 || /https?:|www\./i.test(v)))
        return fail(200, 'isv.PARAM_LENGTH_LIMIT');
      const bizId = `${Date.now()}^${sent.length}`;
      sent.push({
        to: p.PhoneNumbers as string,
        signName,
        templateCode: p.TemplateCode as string,
        params,
        text: `【${signName}】${template.replace(/\$\{(\w+)\}/g, (_, n: string) => params[n] ?? '')}`,
        bizId,
      });
      return answer(200, { Code: 'OK', Message: 'OK', BizId: bizId });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    accessKeyId,
    accessKeySecret,
    signName,
    templates,
    sent,
    refused,
    failNext: (...answers) => programmed.push(...answers),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
