/**
 * The one set of esbuild options for every Lambda bundle: the CDK construct and the bundle-size
 * test both read it, so the size the test reports is the size that deploys.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildOptions, Metafile } from 'esbuild';

/** Repository root (lib/constructs → ../..). */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Node.js major of the Lambda runtime (Runtime.NODEJS_24_X, the current LTS). */
export const nodeMajor = 24;

/**
 * ESM output still meets CommonJS dependencies that call `require` for Node built-ins; this
 * banner gives them a real `require`.
 */
const requireShim =
  "import{createRequire as __onestopCreateRequire}from'node:module';const require=__onestopCreateRequire(import.meta.url);";

export const bundleOptions = {
  minify: true,
  sourceMap: true,
  /** Maps without embedded sources: stack traces resolve, the artefact stays small. */
  sourcesContent: false,
  format: 'esm',
  platform: 'node',
  target: `node${nodeMajor}`,
  /** Prefer packages' ESM builds: better tree-shaking. */
  mainFields: ['module', 'main'],
  /**
   * The AWS SDK is bundled (tree-shaken, minified, ESM), not left to the runtime's copy: loading
   * it from node_modules' many small files cost more at a cold start than reading a bundle three
   * times larger (bench/cold-start.bench.ts, decision 45: init medians 20–40 % lower).
   * @datadog/sketches-js requires protobufjs only inside toProto/fromProto, which Onestop never
   * calls (sketches are stored as JSON), so it stays out of the bundle and out of the deps.
   * nodemailer (the SMTP mailer, about 236 KB minified) would not fit the budget: the SMTP
   * adapter imports it dynamically, and only stages that mail over SMTP ship it beside the
   * bundle (`shippedModules` below).
   */
  external: ['protobufjs/minimal', 'nodemailer'],
  banner: requireShim,
} as const;

/**
 * External packages copied as they are installed into a function's asset (node_modules/<name>)
 * when its stage needs them. Each must have no dependencies of its own (the infra test checks),
 * so the copy is complete, and synthesis stays offline (no npm install while bundling).
 */
export const shippedModules = { smtp: ['nodemailer'] } as const;

/**
 * Upper bound for one function's minified code, every chunk counted (issue 7): 260 KB while the
 * SDK stayed external; 820 KB since it is bundled (issue 18, decision 45); 900 KB since the
 * bundles are split (issue 18, item 2: a chunk's import and export glue, and modules grown since;
 * the largest, a module's HTTP function, is 845 KB). What a cold start reads is smaller: the
 * cold-start bench reports it. It still catches a dependency pulled in by mistake.
 */
export const maxBundleBytes = 900 * 1024;

/**
 * The esbuild options of one function's asset, for the construct, the bundle-size test and the
 * cold-start bench alike: `<outdir>/index.mjs` (handler `index.handler`) with the code that a
 * dynamic `import()` reaches split into `<outdir>/chunks/` (issue 18). Without splitting esbuild
 * inlines a dynamic import, so a function that loads the SDK only on its first request would
 * still read and parse all of it at a cold start; split, the chunk is read only when imported.
 * Source maps are linked (`//# sourceMappingURL`), so NODE_OPTIONS=--enable-source-maps finds
 * each chunk's map when the chunk loads.
 */
export function esbuildOptions(
  entry: string,
  outdir: string,
  target: string = bundleOptions.target,
): BuildOptions {
  return {
    entryPoints: { index: entry.startsWith('/') ? entry : join(repoRoot, entry) },
    absWorkingDir: repoRoot,
    outdir,
    bundle: true,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    minify: bundleOptions.minify,
    sourcemap: bundleOptions.sourceMap ? 'linked' : false,
    sourcesContent: bundleOptions.sourcesContent,
    format: bundleOptions.format,
    platform: bundleOptions.platform,
    target,
    mainFields: [...bundleOptions.mainFields],
    external: [...bundleOptions.external],
    banner: { js: bundleOptions.banner },
    logLevel: 'silent',
  };
}

/** The code files of a split bundle (no maps), by output path. */
export function codeOutputs(meta: Metafile): Array<[string, Metafile['outputs'][string]]> {
  return Object.entries(meta.outputs).filter(([file]) => file.endsWith('.mjs'));
}

/**
 * What a cold start loads: the entry file and every chunk it imports statically, transitively
 * (chunks behind a dynamic `import()` load on the request that needs them).
 */
export function loadedAtInit(meta: Metafile): { files: string[]; bytes: number; inputs: string[] } {
  // chunks that a dynamic import reaches are entry points too: the function's own is index.mjs
  const entry = codeOutputs(meta).find(([file]) => /(^|\/)index\.mjs$/.test(file));
  if (!entry) throw new Error('no index.mjs in the metafile');
  const seen = new Set<string>([entry[0]]);
  const queue = [entry[0]];
  while (queue.length > 0) {
    const out = meta.outputs[queue.shift()!]!;
    for (const imp of out.imports) {
      if (imp.kind !== 'import-statement' || imp.external || seen.has(imp.path)) continue;
      seen.add(imp.path);
      queue.push(imp.path);
    }
  }
  const files = [...seen];
  return {
    files,
    bytes: files.reduce((n, f) => n + meta.outputs[f]!.bytes, 0),
    inputs: [...new Set(files.flatMap((f) => Object.keys(meta.outputs[f]!.inputs)))],
  };
}
