import { describe, expect, it } from 'vitest';
import { loadStageConfig, stageConfigSchema, stageDefaults } from '../../lib/config/stage-config.ts';

const fromContext =
  (context: Record<string, string>) =>
  (key: string): unknown =>
    context[key];

describe('stage config', () => {
  it('defaults to dev when no stage is given', () => {
    // Act
    const config = loadStageConfig(fromContext({}));

    // Assert
    expect(config.stage).toBe('dev');
    expect(config.region).toBe('ap-southeast-1');
    expect(config.removalPolicy).toBe('destroy');
  });

  it('parses both stage defaults', () => {
    for (const defaults of Object.values(stageDefaults)) {
      expect(() => stageConfigSchema.parse(defaults)).not.toThrow();
    }
  });

  it('keeps prod data and logs longer than dev', () => {
    const dev = loadStageConfig(fromContext({ stage: 'dev' }));
    const prod = loadStageConfig(fromContext({ stage: 'prod' }));

    expect(prod.removalPolicy).toBe('retain');
    expect(prod.logRetentionDays).toBeGreaterThan(dev.logRetentionDays);
    expect(prod.logLevel).toBe('info');
  });

  it('rejects an unknown stage, naming the valid ones', () => {
    expect(() => loadStageConfig(fromContext({ stage: 'staging' }))).toThrow(/stage=dev\|prod/);
  });

  it('applies context overrides for one deployment', () => {
    // Act
    const config = loadStageConfig(
      fromContext({
        stage: 'prod',
        account: '123456789012',
        region: 'ap-northeast-1',
        mailFrom: 'notify@mail.yueqing.example.cn',
        alarmEmail: 'ops@yueqing.example.cn',
        cognitoMailViaSes: 'true',
        consoleDomain: 'onestop.yueqing.example.cn',
        consoleCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
      }),
    );

    // Assert
    expect(config).toMatchObject({
      stage: 'prod',
      account: '123456789012',
      region: 'ap-northeast-1',
      mailFrom: 'notify@mail.yueqing.example.cn',
      alarmEmail: 'ops@yueqing.example.cn',
      cognitoMailViaSes: true,
      consoleDomain: { name: 'onestop.yueqing.example.cn' },
    });
  });

  it('makes the document retention configurable per deployment, within 1 day to 10 years', () => {
    expect(loadStageConfig(fromContext({ stage: 'prod' })).documentRetentionDays).toBe(1095);
    expect(
      loadStageConfig(fromContext({ stage: 'prod', documentRetentionDays: '1825' })).documentRetentionDays,
    ).toBe(1825);
    for (const bad of ['0', '4000', 'forever']) {
      expect(() => loadStageConfig(fromContext({ documentRetentionDays: bad }))).toThrow(
        /documentRetentionDays/,
      );
    }
  });

  it('rejects a malformed account, region or sender with the field named', () => {
    expect(() => loadStageConfig(fromContext({ account: '1234' }))).toThrow(/account/);
    expect(() => loadStageConfig(fromContext({ region: 'Singapore' }))).toThrow(/region/);
    expect(() => loadStageConfig(fromContext({ mailFrom: 'not-an-address' }))).toThrow(/mailFrom/);
  });

  it('requires the console certificate to live in us-east-1, where CloudFront reads it', () => {
    expect(() =>
      loadStageConfig(
        fromContext({
          consoleDomain: 'onestop.example.cn',
          consoleCertificateArn: 'arn:aws:acm:ap-southeast-1:123456789012:certificate/abc',
        }),
      ),
    ).toThrow(/us-east-1/);
  });

  it('rejects a log retention CloudWatch does not offer', () => {
    const result = stageConfigSchema.safeParse({ ...stageDefaults.dev, logRetentionDays: 10 });
    expect(result.success).toBe(false);
  });
});
