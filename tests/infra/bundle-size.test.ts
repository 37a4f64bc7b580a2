/**
 * Bundles every Lambda entry with the construct's own esbuild options (lib/constructs/bundling.ts)
 * and checks each minified bundle against the budget (`maxBundleBytes`), reporting the sizes from the
 * esbuild metafile. A handler module that does not exist yet fails here, by design.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { handlerEntry, handlerNames } from '../../functions/http/routes.ts';
import {
  codeOutputs,
  esbuildOptions,
  loadedAtInit,
  maxBundleBytes,
  repoRoot,
  shippedModules,
} from '../../lib/constructs/bundling.ts';
import {
  type ScheduledHandlerName,
  type StreamHandlerName,
  scheduledJobs,
  streamConsumers,
} from '../../lib/function-catalog.ts';

const entries = [
  ...handlerNames.map((name) => handlerEntry.http(name)),
  ...(Object.keys(streamConsumers) as StreamHandlerName[]).map((name) => handlerEntry.stream(name)),
  ...(Object.keys(scheduledJobs) as ScheduledHandlerName[]).map((name) => handlerEntry.scheduled(name)),
];

async function bundle(entry: string) {
  const result = await build({
    ...esbuildOptions(entry, join(repoRoot, 'cdk.out', 'bundle-size')),
    write: false,
    metafile: true,
  });
  const code = codeOutputs(result.metafile);
  expect(code.filter(([file]) => !file.includes('/chunks/'))).toHaveLength(1);
  // every code file: the entry and its chunks
  const text = result.outputFiles
    .filter((f) => f.path.endsWith('.mjs'))
    .map((f) => f.text)
    .join('\n');
  return {
    bytes: code.reduce((n, [, out]) => n + out.bytes, 0),
    inputs: Object.keys(result.metafile.inputs),
    init: loadedAtInit(result.metafile),
    text,
  };
}

async function bundledBytes(entry: string): Promise<number> {
  return (await bundle(entry)).bytes;
}

/**
 * The kernel's functions that act on cases of any service install every module (the registry);
 * a module's function installs its own module only. Locally every handler shares one process,
 * so only the bundles show a function that forgot (the notifier once did).
 */
describe('service modules in each function', () => {
  const allServices = [
    'functions/http/applications.ts',
    'functions/http/tasks.ts',
    'functions/http/drafts.ts',
    'functions/http/reports.ts',
    'functions/http/catalog.ts',
    'functions/streams/notifier.ts',
    'functions/scheduled/sweeper.ts',
  ];
  it.each(allServices)('%s bundles the registry of every module', async (entry) => {
    expect((await bundle(entry)).inputs).toContain('functions/services/registry.ts');
  });
  it('a module function bundles its own module and no other', async () => {
    const inputs = (await bundle('functions/services/rehab-aid/http.ts')).inputs;
    expect(inputs).toContain('functions/services/rehab-aid/module.ts');
    expect(inputs.filter((i) => i.startsWith('functions/services/childcare-slot/'))).toEqual([]);
    expect(inputs).not.toContain('functions/services/registry.ts');
  });
});

describe('Lambda bundle sizes', () => {
  it.each(entries)(`%s bundles to at most ${maxBundleBytes / 1024} KB minified`, async (entry) => {
    const bytes = await bundledBytes(entry);
    console.info(
      `${entry.padEnd(34)} ${(bytes / 1024).toFixed(1).padStart(6)} KB of ${maxBundleBytes / 1024} KB`,
    );
    expect(bytes).toBeLessThanOrEqual(maxBundleBytes);
  });
});

/**
 * Issue 18: health and the catalogue answer without the SDK at a cold start. What they reach
 * with a dynamic import (the table probe, the catalogue's reference data) is split into chunks
 * that load on the request needing them; nothing the entry imports statically holds the SDK.
 */
describe('what a cold start loads', () => {
  it.each(['functions/http/health.ts', 'functions/http/catalog.ts'])(
    '%s loads no AWS SDK at import',
    async (entry) => {
      const { init, inputs } = await bundle(entry);
      const sdk = (i: string) => /node_modules\/(@aws-sdk|@smithy)\//.test(i);
      // the SDK is in the asset, behind a dynamic import…
      expect(inputs.some(sdk)).toBe(true);
      // …and not in what the entry loads
      expect(init.inputs.filter(sdk)).toEqual([]);
      expect(init.bytes).toBeLessThan(200 * 1024);
    },
  );
});

/**
 * nodemailer stays out of every bundle (it alone is about 236 KB minified) and is shipped beside
 * the bundle only in stages that mail over SMTP. A static import of it would make every function
 * of an SES stage fail at load, where it is not shipped.
 */
describe('the SMTP mailer outside the bundle', () => {
  it.each(['functions/streams/notifier.ts', 'functions/scheduled/sweeper.ts'])(
    '%s loads nodemailer only with a dynamic import, on the first SMTP send',
    async (entry) => {
      const { text, inputs } = await bundle(entry);
      expect(inputs).toContain('functions/adapters/smtp/mailer.ts');
      expect(inputs.filter((i) => i.includes('node_modules/nodemailer/'))).toEqual([]);
      expect(text).toMatch(/import\(\s*["']nodemailer["']\s*\)/);
      expect(text).not.toMatch(/(from|import)\s*["']nodemailer["']/);
    },
  );

  it.each(shippedModules.smtp)('%s has no dependencies, so copying its folder ships all of it', (name) => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    expect(pkg.dependencies ?? {}).toEqual({});
  });
});
