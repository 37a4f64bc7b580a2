/**
 * cdk-nag v3 runs as a CDK policy-validation plugin: findings surface in the validation report
 * (and fail synthesis), not as construct annotations, so this reads the pack's own report.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type SynthesizedOnestop, synthOnestop } from './synth.ts';

interface Finding {
  rule: string;
  severity: string;
  path: string;
}

function findings(scope: IConstruct, pack: AwsSolutionsChecks = new AwsSolutionsChecks()): Finding[] {
  const { violations } = pack.validateScope(scope);
  return violations.flatMap((v) =>
    v.violatingResources.map((r) => ({
      rule: v.ruleName,
      severity: v.severity ?? 'error',
      path: r.constructPath ?? '',
    })),
  );
}

/** Every finding, as if nothing had been acknowledged (to catch acknowledgements that match nothing). */
function rawFindings(scope: IConstruct): Finding[] {
  const pack = new AwsSolutionsChecks();
  Object.defineProperty(pack, 'isAcknowledged', { value: () => false });
  return findings(scope, pack);
}

interface Acknowledgement {
  path: string;
  rule: string;
  reason: string;
}

function acknowledgements(scope: IConstruct): Acknowledgement[] {
  return scope.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({
          path: c.node.path,
          rule: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

const VAGUE = /^(n\/?a|todo|tbd|ok|fine|not needed|not required|suppress(ed)?|ignored?|false positive)\.?$/i;

const consoleDist = mkdtempSync(join(tmpdir(), 'onestop-web-dist-'));
writeFileSync(join(consoleDist, 'index.html'), '<!doctype html><title>Onestop</title>');

const variants: Array<[string, Record<string, string>, { consoleAssetDir?: string }]> = [
  ['dev', { stage: 'dev' }, {}],
  [
    'prod with console build and custom domain',
    {
      stage: 'prod',
      consoleDomain: 'onestop.example.cn',
      consoleCertificateArn:
        'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
      alarmEmail: 'ops@example.cn',
      cognitoMailViaSes: 'true',
    },
    { consoleAssetDir: consoleDist },
  ],
  ['cn (aws-cn, OIDC, SMTP) with console build', { stage: 'cn' }, { consoleAssetDir: consoleDist }],
];

describe.each(variants)('cdk-nag AwsSolutions on the real app (%s)', (_name, context, options) => {
  let onestop: SynthesizedOnestop;
  beforeAll(() => {
    // Registered as bin/onestop.ts does: an unacknowledged finding would already throw here.
    onestop = synthOnestop(context, { ...options, nag: true });
  });

  it('synthesizes both stacks with the pack registered', () => {
    expect(onestop.statefulTemplate.toJSON().Resources).toBeDefined();
    expect(onestop.statelessTemplate.toJSON().Resources).toBeDefined();
  });

  it('leaves no error unacknowledged', () => {
    expect(findings(onestop.app).filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('leaves no warning unacknowledged', () => {
    expect(findings(onestop.app).filter((f) => f.severity !== 'error')).toEqual([]);
  });

  it('gives every acknowledgement a rule id and a specific reason', () => {
    const acks = acknowledgements(onestop.app);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.rule, ack.path).toMatch(/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
      expect(ack.reason, `${ack.path} ${ack.rule}`).not.toMatch(VAGUE);
      expect(ack.reason.length, `${ack.path} ${ack.rule}: "${ack.reason}"`).toBeGreaterThanOrEqual(80);
    }
  });

  it('acknowledges only findings that exist (no stale acknowledgements)', () => {
    const raw = rawFindings(onestop.app);
    const stale = acknowledgements(onestop.app).filter(
      (ack) =>
        !raw.some((f) => f.rule === ack.rule && (f.path === ack.path || f.path.startsWith(`${ack.path}/`))),
    );
    expect(stale).toEqual([]);
  });
});

describe('cdk-nag gate', () => {
  it('fails synthesis on an unacknowledged finding', () => {
    // Arrange: a bucket without TLS enforcement or access logs, in an app with the pack.
    const app = new App();
    new Bucket(new Stack(app, 'Probe'), 'Open');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    // Act / Assert
    expect(() => app.synth()).toThrow(/AwsSolutions-S(1|10)/);
  });
});
