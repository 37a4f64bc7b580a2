/**
 * Composes the Onestop app for one stage: the stateful stack, then the stateless stack that
 * uses it. bin/onestop.ts calls this with the real App; the infra tests with their own.
 */
import { type App, Tags } from 'aws-cdk-lib';
import { loadStageConfig, type StageConfig } from './config/stage-config.ts';
import { StatefulStack } from './stacks/stateful-stack.ts';
import { StatelessStack } from './stacks/stateless-stack.ts';

export interface OnestopApp {
  config: StageConfig;
  stateful: StatefulStack;
  stateless: StatelessStack;
}

export interface BuildOptions {
  /** The built console; deployed only if the folder exists at synth time. */
  consoleAssetDir?: string;
}

export function buildOnestop(app: App, options: BuildOptions = {}): OnestopApp {
  const config = loadStageConfig((key) => app.node.tryGetContext(key));
  // Without credentials (offline synth) the account stays unresolved: the stacks are account-agnostic.
  const env = { account: config.account ?? process.env.CDK_DEFAULT_ACCOUNT, region: config.region };
  const prefix = `Onestop-${config.stage}`;
  const common = { env, config, terminationProtection: config.stage === 'prod' };

  const stateful = new StatefulStack(app, `${prefix}-Stateful`, {
    ...common,
    description: `Onestop ${config.stage}: data (table, keys, documents, user pools, mail)`,
  });
  const stateless = new StatelessStack(app, `${prefix}-Stateless`, {
    ...common,
    description: `Onestop ${config.stage}: functions, APIs, console, alarms`,
    stateful,
    consoleAssetDir: options.consoleAssetDir,
  });

  for (const stack of [stateful, stateless]) {
    Tags.of(stack).add('project', 'onestop');
    Tags.of(stack).add('stage', config.stage);
  }
  return { config, stateful, stateless };
}
