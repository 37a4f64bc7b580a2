/**
 * The one set of esbuild options for every Lambda bundle: the CDK construct and the bundle-size
 * test both read it, so the size the test reports is the size that deploys.
 */
import { fileURLToPath } from 'node:url';

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
 * Upper bound for one minified handler bundle (issue 7): 260 KB while the SDK stayed external;
 * 820 KB since it is bundled (issue 18, decision 45; the largest module bundle is 794 KB). It
 * still catches a dependency pulled in by mistake.
 */
export const maxBundleBytes = 820 * 1024;
