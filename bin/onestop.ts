#!/usr/bin/env node
/**
 * CDK entry (`npx cdk synth -c stage=dev|prod`): the only `new App()`. cdk-nag's AwsSolutions
 * pack runs as a policy-validation plugin, so any unacknowledged finding fails synth and deploy.
 * `-c bundling=false` skips esbuild (templates and cdk-nag only; such an assembly cannot deploy).
 */
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { repoRoot } from '../lib/constructs/bundling.ts';
import { buildOnestop } from '../lib/onestop-app.ts';

const app = new App();
// The CLI refuses user context under `aws:`; this maps a plain key onto CDK's bundling switch.
if (String(app.node.tryGetContext('bundling')) === 'false')
  app.node.setContext('aws:cdk:bundling-stacks', []);
buildOnestop(app, { consoleAssetDir: join(repoRoot, 'web', 'dist') });
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
