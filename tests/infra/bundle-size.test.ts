/**
 * Bundles every Lambda entry with the construct's own esbuild options (lib/constructs/bundling.ts)
 * and checks each minified bundle against the 260 KB budget, reporting the sizes from the
 * esbuild metafile. A handler module that does not exist yet fails here, by design.
 */
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { handlerEntry, handlerNames } from '../../functions/http/routes.ts';
import { bundleOptions, maxBundleBytes, repoRoot } from '../../lib/constructs/bundling.ts';
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

async function bundledBytes(entry: string): Promise<number> {
  const result = await build({
    entryPoints: [join(repoRoot, entry)],
    absWorkingDir: repoRoot,
    bundle: true,
    write: false,
    metafile: true,
    outdir: join(repoRoot, 'cdk.out', 'bundle-size'),
    outExtension: { '.js': '.mjs' },
    minify: bundleOptions.minify,
    sourcemap: bundleOptions.sourceMap ? 'external' : false,
    sourcesContent: bundleOptions.sourcesContent,
    format: bundleOptions.format,
    platform: bundleOptions.platform,
    target: bundleOptions.target,
    mainFields: [...bundleOptions.mainFields],
    external: [...bundleOptions.external],
    banner: { js: bundleOptions.banner },
    logLevel: 'silent',
  });
  const code = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith('.mjs'));
  expect(code).toHaveLength(1);
  return code[0]![1].bytes;
}

describe('Lambda bundle sizes', () => {
  it.each(entries)('%s bundles to at most 260 KB minified', async (entry) => {
    const bytes = await bundledBytes(entry);
    console.info(
      `${entry.padEnd(34)} ${(bytes / 1024).toFixed(1).padStart(6)} KB of ${maxBundleBytes / 1024} KB`,
    );
    expect(bytes).toBeLessThanOrEqual(maxBundleBytes);
  });
});
