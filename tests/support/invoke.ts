/**
 * Calls the real HTTP handler modules in-process with API Gateway v2 events, as the local gateway
 * and Lambda do (claims already verified). Used by the access-matrix and property tests, which
 * need thousands of requests without an HTTP hop. `setupHandlers()` points the handlers at a
 * fresh table on the run's DynamoDB Local.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { ServiceModule } from '../../functions/core/module.ts';
import { type HandlerName, httpEntryOf, routeTable } from '../../functions/http/routes.ts';
import { modules as registered } from '../../functions/services/registry.ts';
import { freshTable } from './dynamo.ts';

export type Claims = Record<string, string>;

export interface Invoked {
  status: number;
  body: any;
  headers: Record<string, string>;
}

let seq = 0;

/** `extra`: service modules beyond the registry's (a fixture module), installed for this run. */
export async function setupHandlers(extra: readonly ServiceModule[] = []) {
  const installed = [...registered, ...extra];
  const routes = await routeTable(installed);
  const entry = httpEntryOf(installed);
  const table = await freshTable('handlers');
  Object.assign(process.env, {
    TABLE_NAME: table.tableName,
    DYNAMODB_ENDPOINT: table.endpoint,
    DATA_KEY_FILE: join(mkdtempSync(join(tmpdir(), 'keys-')), 'k.json'),
    LOG_LEVEL: 'error',
    SUBMISSIONS_PER_MINUTE: process.env.SUBMISSIONS_PER_MINUTE ?? '100000',
    DRAFT_SAVES_PER_MINUTE: process.env.DRAFT_SAVES_PER_MINUTE ?? '100000',
  });
  const modules = new Map<
    HandlerName,
    (e: unknown, c: Context) => Promise<APIGatewayProxyStructuredResultV2>
  >();
  const handlerFor = async (name: HandlerName) => {
    if (!modules.has(name))
      modules.set(name, (await import(/* @vite-ignore */ `../../${entry(name)}`)).handler);
    return modules.get(name)!;
  };

  /** `invoke('POST /applications/{id}/claim', claims, { params, body, query, headers })` */
  async function invoke(
    routeKey: string,
    claims: Claims | null,
    opts: {
      params?: Record<string, string>;
      body?: unknown;
      rawBody?: string;
      query?: Record<string, string>;
      headers?: Record<string, string>;
      /** the client's address (default 127.0.0.1) */
      sourceIp?: string;
    } = {},
  ): Promise<Invoked> {
    const spec = routes.find((r) => `${r.method} ${r.path}` === routeKey);
    if (!spec) throw new Error(`no route ${routeKey}`);
    const path = spec.path.replace(/\{(\w+)\}/g, (_, n: string) => opts.params?.[n] ?? `{${n}}`);
    const requestId = `req-${++seq}`;
    const body = opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
    const event = {
      version: '2.0',
      routeKey,
      rawPath: path,
      rawQueryString: new URLSearchParams(opts.query ?? {}).toString(),
      headers: { 'content-type': 'application/json', ...(opts.headers ?? {}) },
      ...(opts.query ? { queryStringParameters: opts.query } : {}),
      ...(opts.params ? { pathParameters: opts.params } : {}),
      ...(body !== undefined ? { body } : {}),
      isBase64Encoded: false,
      requestContext: {
        requestId,
        routeKey,
        http: { method: spec.method, path, sourceIp: opts.sourceIp ?? '127.0.0.1' },
        ...(claims ? { authorizer: { jwt: { claims, scopes: [] } } } : {}),
      },
    };
    const handler = await handlerFor(spec.handler);
    const res = await handler(event, {
      awsRequestId: requestId,
      getRemainingTimeInMillis: () => 30_000,
    } as unknown as Context);
    let parsed: unknown = res.body;
    try {
      parsed = JSON.parse(res.body ?? '');
    } catch {
      /* CSV or empty */
    }
    return {
      status: res.statusCode ?? 200,
      body: parsed,
      headers: (res.headers ?? {}) as Record<string, string>,
    };
  }

  return { table, invoke };
}
