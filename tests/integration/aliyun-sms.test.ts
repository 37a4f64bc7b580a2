/**
 * The Alibaba Cloud SMS adapter against a local fake of the provider's HTTP API
 * (tests/support/aliyun-sms-fake.ts), which verifies the RPC signature as the provider does:
 * the documented signature example, the registered templates and their variables, how the
 * provider's refusals and outages are classified, the AccessKey read once from Secrets Manager;
 * then the notifier on DynamoDB Local with SMS_TRANSPORT=aliyun's wiring: each event texted
 * once, a permanent refusal dead-lettered at once, an outage retried.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { ulid } from 'ulid';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { localFieldCipher } from '#adapters/crypto/field-cipher';
import { isDependencyFailure } from '#adapters/dependency-failure';
import { DynamoApplicationRepository } from '#adapters/dynamodb/application-repository';
import { DeliveryStore } from '#adapters/dynamodb/delivery-store';
import { SesMailer, sesClientConfig } from '#adapters/ses/mailer';
import { AliyunSms, type AliyunSmsSettings, percentEncode, rpcSignature } from '#adapters/sms/aliyun';
import { ApplicationService } from '#core/application-service';
import { WorkingCalendar } from '#core/calendar';
import { getService } from '#core/catalog';
import { MAX_ATTEMPTS, Notifier } from '#core/notifications/notifier';
import type { SmsContent } from '#core/ports';
import { smsFromEnv } from '#shared/sms-wiring';
import { startSesLocal } from '../../local/ses-local.ts';
import { birthDeciders, parentB } from '../support/actors.ts';
import { type AliyunSmsFake, startAliyunSmsFake } from '../support/aliyun-sms-fake.ts';
import { freshTable } from '../support/dynamo.ts';
import { birthForm } from '../support/forms.ts';

const MOTHER = '13805771234';
let fake: AliyunSmsFake;
beforeAll(async () => {
  fake = await startAliyunSmsFake();
});
afterAll(async () => {
  await fake.stop();
});

const settings = (over: Partial<AliyunSmsSettings> = {}): AliyunSmsSettings => ({
  endpoint: fake.url,
  region: 'cn-hangzhou',
  signName: fake.signName,
  templates: fake.templates,
  timeoutMs: 2000,
  ...over,
});
const key = () => Promise.resolve({ accessKeyId: fake.accessKeyId, accessKeySecret: fake.accessKeySecret });
const status: SmsContent = {
  kind: 'status',
  service: '出生一件事',
  applicationNumber: 'B20261202ABCD',
  status: '出生医学证明已办结',
};

describe('the RPC signature', () => {
  it('reproduces the provider’s documented SendSms example', () => {
    const params = {
      AccessKeyId: 'testId',
      Action: 'SendSms',
      Format: 'XML',
      OutId: '123',
      PhoneNumbers: '15300000001',
      RegionId: 'cn-hangzhou',
      SignName: '阿里云短信测试专用',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
      SignatureVersion: '1.0',
      TemplateCode: 'SMS_71390007',
      TemplateParam: '{"customer":"test"}',
      Timestamp: '2017-07-12T02:42:19Z',
      Version: '2017-05-25',
    };
    expect(rpcSignature('GET', params, 'testSecret')).toBe('zJDF+Lrzhj/ThnlvIToysFRq6t4=');
    expect(percentEncode("a b*~!'()")).toBe('a%20b%2A~%21%27%28%29');
  });
});

describe('AliyunSms against the provider fake', () => {
  it('sends the status template with its variables under the registered signature', async () => {
    const sms = new AliyunSms(settings(), key);
    const { messageId } = await sms.send(`+86${MOTHER}`, 'the rendered text is not sent', status);
    const last = fake.sent.at(-1);
    expect(messageId).toBe(last?.bizId);
    expect(last).toMatchObject({
      to: MOTHER,
      templateCode: fake.templates.status,
      params: { service: '出生一件事', number: 'B20261202ABCD', status: '出生医学证明已办结' },
    });
    expect(last?.text).toBe(
      '【乐清Onestop】您的出生一件事申请（编号B20261202ABCD）：出生医学证明已办结。请登录 https://onestop.example.gov.cn 查看详情。',
    );
  });

  it('sends a progress code through the verification-code template', async () => {
    const sms = new AliyunSms(settings(), key);
    await sms.send(MOTHER, 'x', { kind: 'code', code: '042517', minutes: 10 });
    expect(fake.sent.at(-1)).toMatchObject({ templateCode: fake.templates.code, params: { code: '042517' } });
  });

  it('cuts a variable to the provider’s 35 characters', async () => {
    const sms = new AliyunSms(settings(), key);
    await sms.send(MOTHER, 'x', { ...status, status: '很长的状态'.repeat(10) });
    expect([...(fake.sent.at(-1)?.params.status ?? '')]).toHaveLength(35);
  });

  it('refuses to send free text without content (a template-only provider)', async () => {
    const before = fake.sent.length;
    await expect(new AliyunSms(settings(), key).send(MOTHER, '任意文本')).rejects.toThrow(/templates only/);
    expect(fake.sent).toHaveLength(before);
  });

  it('is refused by the provider with a wrong key secret: permanent, not a dependency failure', async () => {
    const wrong = () => Promise.resolve({ accessKeyId: fake.accessKeyId, accessKeySecret: 'not-the-secret' });
    const err = await new AliyunSms(settings(), wrong).send(MOTHER, 'x', status).catch((e: unknown) => e);
    expect(fake.refused.at(-1)).toBe('SignatureDoesNotMatch');
    expect(err).toMatchObject({ name: 'SmsRejected', permanent: true });
    expect(isDependencyFailure(err)).toBe(false);
  });

  it('classifies a bad number, template or signature as permanent, without the number in the message', async () => {
    const cases: Array<[Partial<AliyunSmsSettings>, string, string]> = [
      [{}, '1380577', 'isv.MOBILE_NUMBER_ILLEGAL'],
      [{ templates: { status: 'SMS_999', code: 'SMS_998' } }, MOTHER, 'isv.SMS_TEMPLATE_ILLEGAL'],
      [{ signName: '别的签名' }, MOTHER, 'isv.SMS_SIGNATURE_ILLEGAL'],
    ];
    for (const [over, to, code] of cases) {
      const err = (await new AliyunSms(settings(over), key)
        .send(to, 'x', status)
        .catch((e: unknown) => e)) as Error;
      expect(err).toMatchObject({ name: 'SmsRejected', permanent: true });
      expect(err.message).toContain(code);
      expect(err.message).not.toContain(to);
      expect(isDependencyFailure(err)).toBe(false);
    }
  });

  it('classifies flow control, provider faults and an unreachable endpoint as retryable', async () => {
    const sms = new AliyunSms(settings(), key);
    fake.failNext(
      { status: 200, code: 'isv.BUSINESS_LIMIT_CONTROL' },
      { status: 500, code: 'isp.SYSTEM_ERROR' },
    );
    const throttled = await sms.send(MOTHER, 'x', status).catch((e: unknown) => e);
    expect(throttled).toMatchObject({ name: 'ServiceUnavailable', $retryable: { throttling: true } });
    const failed = await sms.send(MOTHER, 'x', status).catch((e: unknown) => e);
    expect(failed).toMatchObject({ name: 'ServiceUnavailable' });
    expect(isDependencyFailure(throttled)).toBe(true);
    expect(isDependencyFailure(failed)).toBe(true);
    const down = await startAliyunSmsFake();
    await down.stop();
    const unreachable = await new AliyunSms(settings({ endpoint: down.url }), key)
      .send(MOTHER, 'x', status)
      .catch((e: unknown) => e);
    expect(unreachable).toMatchObject({ name: 'ServiceUnavailable' });
    expect(isDependencyFailure(unreachable)).toBe(true);
  });
});

describe('AliyunSms with the AccessKey in Secrets Manager', () => {
  let secrets: ReturnType<typeof mockClient>;
  afterEach(() => secrets?.restore());
  const arn = 'arn:aws-cn:secretsmanager:cn-northwest-1:123456789012:secret:onestop-cn-aliyun-sms-AbCdEf';

  it('reads the secret once and signs every request with it', async () => {
    secrets = mockClient(SecretsManagerClient);
    secrets.on(GetSecretValueCommand).resolves({
      SecretString: JSON.stringify({ accessKeyId: fake.accessKeyId, accessKeySecret: fake.accessKeySecret }),
    });
    const sms = new AliyunSms(settings({ secretArn: arn }));
    const before = fake.sent.length;
    await sms.send(MOTHER, 'x', status);
    await sms.send(MOTHER, 'x', status);
    expect(fake.sent).toHaveLength(before + 2);
    expect(secrets.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input)).toEqual([
      { SecretId: arn },
    ]);
  });

  it('reads again after a failed read, and refuses a malformed secret', async () => {
    secrets = mockClient(SecretsManagerClient);
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(Object.assign(new Error('down'), { name: 'InternalServiceError', $retryable: {} }))
      .resolvesOnce({ SecretString: '{"accessKeyId":""}' })
      .resolves({
        SecretString: JSON.stringify({
          accessKeyId: fake.accessKeyId,
          accessKeySecret: fake.accessKeySecret,
        }),
      });
    const sms = new AliyunSms(settings({ secretArn: arn }));
    await expect(sms.send(MOTHER, 'x', status)).rejects.toThrow('down');
    await expect(sms.send(MOTHER, 'x', status)).rejects.toThrow(/accessKeySecret/);
    await expect(sms.send(MOTHER, 'x', status)).resolves.toMatchObject({ messageId: expect.any(String) });
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(3);
  });
});

describe('the notifier with SMS_TRANSPORT=aliyun', () => {
  let table: Awaited<ReturnType<typeof freshTable>>;
  let ses: Awaited<ReturnType<typeof startSesLocal>>;
  let service: ApplicationService;
  let repo: DynamoApplicationRepository;
  let deliveries: DeliveryStore;
  const dir = mkdtempSync(join(tmpdir(), 'aliyun-'));
  const saved = { ...process.env };

  beforeAll(async () => {
    table = await freshTable('aliyun-sms');
    ses = await startSesLocal({});
    repo = new DynamoApplicationRepository(table.doc, table.tableName, localFieldCipher(join(dir, 'k.json')));
    service = new ApplicationService(repo, {
      clock: { now: () => new Date() },
      ids: { newId: ulid },
      calendar: new WorkingCalendar(),
    });
    deliveries = new DeliveryStore(table.doc, table.tableName);
    Object.assign(process.env, {
      SMS_TRANSPORT: 'aliyun',
      ALIYUN_SMS_ENDPOINT: fake.url,
      ALIYUN_SMS_SIGN_NAME: fake.signName,
      ALIYUN_SMS_STATUS_TEMPLATE: fake.templates.status,
      ALIYUN_SMS_CODE_TEMPLATE: fake.templates.code,
      ALIYUN_SMS_ACCESS_KEY_ID: fake.accessKeyId,
      ALIYUN_SMS_ACCESS_KEY_SECRET: fake.accessKeySecret,
    });
  });
  afterAll(async () => {
    process.env = saved;
    await ses.stop();
    await table.drop();
  });

  const notifier = () =>
    new Notifier({
      repo,
      deliveries,
      mailer: new SesMailer(sesClientConfig(ses.endpoint), 'noreply@onestop.local'),
      sms: smsFromEnv(),
      clock: { now: () => new Date() },
      consoleUrl: 'http://127.0.0.1:3000',
    });

  async function smsCase() {
    const form = birthForm();
    form.contact = { channels: ['sms'] };
    return (await service.submit(parentB, { service: 'birth-registration', form })).view;
  }
  const notified = async (appId: string) => {
    const { shouldNotify } = await import('#core/notifications/templates');
    return (await repo.listEvents(appId)).filter(shouldNotify);
  };

  it('texts each event once through the status template, also when the batch comes again', async () => {
    const view = await smsCase();
    const d = birthDeciders['birth-certificate']!;
    await service.decide(d.actor, view.id, 'birth-certificate', { decision: 'approve', outputs: d.outputs });
    const n = notifier();
    const events = await notified(view.id);
    const first = await Promise.all(events.map((e) => n.handleChannels(e)));
    const again = await Promise.all(events.map((e) => n.handleChannels(e)));
    expect(first).toEqual([{ sms: 'sent' }, { sms: 'sent' }]);
    expect(again).toEqual([{ sms: 'duplicate' }, { sms: 'duplicate' }]);
    const texts = fake.sent.filter((t) => t.params.number === view.id);
    expect(texts.map((t) => [t.to, t.params.status]).sort()).toEqual([
      [MOTHER, '出生医学证明已办结'],
      [MOTHER, '已受理'],
    ]);
    expect(texts[0]?.params.service).toBe(getService('birth-registration').title['zh-CN']);
    const records = await deliveries.list(view.id);
    expect(records.map((r) => r.messageId).sort()).toEqual(texts.map((t) => t.bizId).sort());
  });

  it('dead-letters a permanent refusal at once, and retries a throttled text', async () => {
    const view = await smsCase();
    const [submitted] = await notified(view.id);
    const n = notifier();
    fake.failNext({ status: 200, code: 'isv.BUSINESS_LIMIT_CONTROL' });
    expect(await n.handle(submitted!)).toBe('retry');
    fake.failNext({ status: 200, code: 'isv.MOBILE_NUMBER_ILLEGAL' });
    expect(await n.handle(submitted!)).toBe('dead-lettered');
    expect(await n.handle(submitted!)).toBe('duplicate');
    expect((await deliveries.list(view.id))[0]).toMatchObject({
      channel: 'sms',
      status: 'failed',
      error: 'SmsRejected',
    });
    expect((await deliveries.list(view.id))[0]?.attempts).toBeLessThan(MAX_ATTEMPTS);
    expect(fake.sent.filter((t) => t.params.number === view.id)).toEqual([]);
  });
});
