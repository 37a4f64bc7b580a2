/**
 * The functions' assets as synthesis builds them (lib/constructs/onestop-function.ts): esbuild
 * run locally with bundling.ts's options, split into index.mjs and its chunks. The other infra
 * tests skip bundling; this one bundles two functions for real.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { bundledCode } from '../../lib/constructs/onestop-function.ts';

const outdir = mkdtempSync(join(tmpdir(), 'onestop-bundling-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('function assets', () => {
  it('each function gets its own split bundle: index.mjs, its chunks and linked maps', () => {
    const app = new App({ outdir });
    const stack = new Stack(app, 'Bundling');
    for (const [id, entry] of [
      ['Health', 'functions/http/health.ts'],
      ['Catalog', 'functions/http/catalog.ts'],
    ] as const) {
      new LambdaFunction(stack, id, {
        code: bundledCode(entry, 'node24', []),
        handler: 'index.handler',
        runtime: Runtime.NODEJS_24_X,
      });
    }
    const template = Template.fromStack(stack);
    const keys = Object.values(template.findResources('AWS::Lambda::Function')).map(
      (fn) => (fn as { Properties: { Code: { S3Key: string } } }).Properties.Code.S3Key,
    );
    // two functions, two assets (CDK's bundling cache once handed every function the first's)
    expect(new Set(keys).size).toBe(2);
    const assembly = app.synth();
    for (const key of keys) {
      const dir = join(assembly.directory, `asset.${key.replace(/\.zip$/, '')}`);
      expect(existsSync(join(dir, 'index.mjs')), key).toBe(true);
      expect(existsSync(join(dir, 'index.mjs.map')), key).toBe(true);
      const chunks = readdirSync(join(dir, 'chunks'));
      expect(chunks.some((f) => f.endsWith('.mjs'))).toBe(true);
      expect(chunks.some((f) => f.endsWith('.mjs.map'))).toBe(true);
    }
  });
});
