/**
 * Test projects: unit (pure core, fakes), integration (DynamoDB Local started once per run by the
 * global setup), e2e (the `npm start` runtime over HTTP), infra (CDK assertions and cdk-nag).
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    // every reply is checked against its route's response schema (functions/shared/http.ts);
    // the runtimes that e2e and browser tests start inherit it
    env: { ONESTOP_CHECK_RESPONSES: '1' },
    hookTimeout: 120_000,
    setupFiles: ['tests/setup/modules.ts'],
    projects: [
      {
        extends: true,
        // contract suites (tests/contract) run on each fake here and on its adapter in integration
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts', 'tests/contract/**/*.memory.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: [
            'tests/integration/**/*.test.ts',
            'tests/contract/**/*.dynamodb.test.ts',
            'tests/contract/**/*.s3.test.ts',
          ],
          globalSetup: ['tests/setup/dynamodb-global.ts'],
          // Every file shares one DynamoDB Local on a small machine: an answer can take longer
          // than the 5 s an SDK socket may stay silent in production (functions/adapters/dependency-failure.ts).
          env: { SDK_REQUEST_TIMEOUT_MS: '30000' },
        },
      },
      { extends: true, test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'], testTimeout: 120_000 } },
      { extends: true, test: { name: 'infra', include: ['tests/infra/**/*.test.ts'], testTimeout: 180_000 } },
      {
        extends: true,
        test: { name: 'browser', include: ['tests/browser/**/*.test.ts'], testTimeout: 180_000 },
      },
    ],
  },
});
