/**
 * The console's API types (web/generated/api-types.ts) are generated from the OpenAPI document the
 * handlers' schemas produce; the console names them in web/src/types.ts and copies none by hand.
 * These tests fail when the committed types drift from the API, and show that a status the API
 * adds fails the console's typecheck until the status table labels it (issue 13).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectRouteSchemas, openApiDocument } from '../../functions/http/openapi.ts';
import { API_TYPES_FILE, renderApiTypes } from '../../scripts/api-types.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/** The first line where the committed types differ from the generated ones, or null. */
function drift(committed: string, generated: string): string | null {
  const a = committed.split('\n');
  const b = generated.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i])
      return `line ${i + 1}: committed ${JSON.stringify(a[i])}, generated ${JSON.stringify(b[i])}`;
  }
  return null;
}

async function generated(): Promise<string> {
  return renderApiTypes(JSON.parse(JSON.stringify(openApiDocument(await collectRouteSchemas()))));
}

describe('console API types', () => {
  it('equal what the API’s OpenAPI document generates (run `npm run openapi` after a schema change)', async () => {
    expect(drift(readFileSync(API_TYPES_FILE, 'utf8'), await generated())).toBeNull();
  });

  it('catch a copy that disagrees with the API (a step status missing)', async () => {
    const broken = readFileSync(API_TYPES_FILE, 'utf8').replace(' | "waiting"', '');
    expect(broken).not.toBe(readFileSync(API_TYPES_FILE, 'utf8'));
    expect(drift(broken, await generated())).toMatch(/StepStatus/);
  });

  it('make a status the API adds fail the console’s typecheck until it is labelled', () => {
    // a copy of the console inside the project (so it resolves node_modules), with one more status
    const dir = mkdtempSync(join(ROOT, '.web-typecheck-'));
    try {
      cpSync(join(ROOT, 'web/src'), join(dir, 'src'), { recursive: true });
      cpSync(join(ROOT, 'web/generated'), join(dir, 'generated'), { recursive: true });
      cpSync(join(ROOT, 'web/tsconfig.json'), join(dir, 'tsconfig.json'));
      writeFileSync(join(dir, 'vite.config.ts'), 'export default {};\n');
      const types = join(dir, 'generated/api-types.ts');
      writeFileSync(types, readFileSync(types, 'utf8').replace(' | "waiting"', ' | "waiting" | "escalated"'));
      const tsc = spawnSync(
        join(ROOT, 'node_modules/.bin/tsc'),
        ['--noEmit', '-p', join(dir, 'tsconfig.json')],
        {
          encoding: 'utf8',
        },
      );
      expect(tsc.status).not.toBe(0);
      expect(tsc.stdout).toMatch(/src\/status\.ts.*escalated/s);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
