/**
 * Redocly CLI (recommended rules, redocly.yaml) lints the OpenAPI document the handlers generate,
 * and fails on a deliberately broken copy, so a lint that passes means something.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectRouteSchemas, openApiDocument } from '../../functions/http/openapi.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'onestop-openapi-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function lint(doc: unknown, name: string) {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(doc));
  const run = spawnSync(
    join(ROOT, 'node_modules/.bin/redocly'),
    ['lint', file, '--config', join(ROOT, 'redocly.yaml'), '--format', 'json'],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    },
  );
  const report = JSON.parse(run.stdout) as {
    totals: { errors: number; warnings: number };
    problems: Array<{ ruleId: string; message: string }>;
  };
  return { status: run.status, report, rules: report.problems.map((p) => p.ruleId) };
}

describe('OpenAPI lint (Redocly, recommended rules)', () => {
  it('passes on the generated document, warnings included', async () => {
    const result = lint(openApiDocument(await collectRouteSchemas()), 'openapi.json');
    expect(result.report.problems).toEqual([]);
    expect(result.status).toBe(0);
  });

  it('fails on a copy with a dangling reference and an undeclared path parameter', async () => {
    const doc = structuredClone(openApiDocument(await collectRouteSchemas())) as any;
    doc.paths['/applications/{id}'].get.responses['200'].content['application/json'].schema = {
      $ref: '#/components/schemas/NoSuchShape',
    };
    delete doc.paths['/applications/{id}/events'].get.parameters;
    const result = lint(doc, 'broken.json');
    expect(result.status).not.toBe(0);
    expect(result.rules).toContain('no-unresolved-refs');
    expect(result.rules).toContain('path-parameters-defined');
  });
});
