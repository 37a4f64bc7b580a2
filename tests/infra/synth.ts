/**
 * Builds the real Onestop app for a stage the way bin/onestop.ts does, with cdk.json's context
 * (feature flags) and the functions' bundling skipped, and synthesizes it once. Share one result
 * per test file: synthesis takes seconds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { repoRoot } from '../../lib/constructs/bundling.ts';
import { type BuildOptions, buildOnestop, type OnestopApp } from '../../lib/onestop-app.ts';

const cdkJson = JSON.parse(readFileSync(join(repoRoot, 'cdk.json'), 'utf8')) as {
  context: Record<string, unknown>;
};

export interface SynthesizedOnestop extends OnestopApp {
  app: App;
  statefulTemplate: Template;
  statelessTemplate: Template;
}

export interface SynthOptions extends BuildOptions {
  /** Register cdk-nag's AwsSolutions pack as bin/onestop.ts does: any finding then fails synthesis. */
  nag?: boolean;
}

export function synthOnestop(
  context: Record<string, string> = {},
  options: SynthOptions = {},
): SynthesizedOnestop {
  const app = new App({ context: { ...cdkJson.context, ...context, 'aws:cdk:bundling-stacks': [] } });
  const built = buildOnestop(app, options);
  if (options.nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return {
    app,
    ...built,
    statefulTemplate: Template.fromStack(built.stateful),
    statelessTemplate: Template.fromStack(built.stateless),
  };
}
