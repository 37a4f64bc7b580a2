/**
 * Per-request cost of the HTTP edge: the full middy chain (route selection, body limit, JSON
 * parse, JWT claims → actor, zod validation of the request and of the birth form, error mapper,
 * security headers, CORS) for a birth submission, against the baseline of `JSON.parse` of the
 * same body, in the same process and run. The route's core call is replaced by a no-op so only
 * the edge is measured.
 */
import type { Context } from 'aws-lambda';
import { getService } from '#services/registry';
import { httpModule, route } from '#shared/http';
import { createApplicationBody } from '../functions/http/schemas.ts';
import { birthForm } from '../tests/support/forms.ts';
import { opsPerSecond, table, writeResult } from './support.ts';

const body = JSON.stringify({ service: 'birth-registration', form: birthForm() });
const def = getService('birth-registration');

const edgeOnly = httpModule({
  'POST /applications': route({
    roles: ['parent'],
    body: createApplicationBody,
    run: async ({ body: b }) => {
      def.form.parse(b.form);
      return { status: 201, body: { ok: true } };
    },
  }),
});

const event = () => ({
  version: '2.0',
  routeKey: 'POST /applications',
  rawPath: '/applications',
  rawQueryString: '',
  headers: { 'content-type': 'application/json', 'accept-language': 'zh-CN' },
  body,
  isBase64Encoded: false,
  requestContext: {
    requestId: 'bench',
    routeKey: 'POST /applications',
    http: { method: 'POST', path: '/applications' },
    authorizer: { jwt: { claims: { sub: 'bench-parent', role: 'parent' }, scopes: [] } },
  },
});
const context = { awsRequestId: 'bench', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;

async function main() {
  const check = (await edgeOnly(event() as never, context)) as { statusCode: number };
  if (check.statusCode !== 201) throw new Error(`edge returned ${check.statusCode}`);
  const baseline = await opsPerSecond(() => JSON.parse(body));
  const zodOnly = await opsPerSecond(() => def.form.parse(JSON.parse(body).form));
  const chain = await opsPerSecond(() => edgeOnly(event() as never, context));
  const rows = [
    {
      case: 'JSON.parse (baseline)',
      'µs/op': baseline.perOpMicros.toFixed(2),
      'ops/s': Math.round(baseline.ops),
      ratio: '1.0',
    },
    {
      case: 'JSON.parse + zod birth form',
      'µs/op': zodOnly.perOpMicros.toFixed(2),
      'ops/s': Math.round(zodOnly.ops),
      ratio: (zodOnly.perOpMicros / baseline.perOpMicros).toFixed(1),
    },
    {
      case: 'middy chain + zod (full edge)',
      'µs/op': chain.perOpMicros.toFixed(2),
      'ops/s': Math.round(chain.ops),
      ratio: (chain.perOpMicros / baseline.perOpMicros).toFixed(1),
    },
  ];
  table(rows);
  writeResult('http-edge', { bodyBytes: body.length, rows });
}

await main();
