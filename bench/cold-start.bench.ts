/**
 * Cold starts as Lambda's init runs them (issue 18): every deployed function is bundled with the
 * construct's own esbuild options (lib/constructs/bundling.ts) into a temporary folder, the AWS
 * SDK bundled as deployed (decision 45; were it external, it would be found in node_modules beside
 * the bundle, as the runtime finds its own)
 * copy. Each sample is a fresh `node` (bench/cold-start-child.mjs) that
 *   (a) imports the bundle: init time, Node's own start included, measured from process start;
 *   (b) invokes the handler once with a realistic event against DynamoDB Local: first-request
 *       time, where the SDK resolves credentials (from the environment, as on Lambda) and the
 *       endpoint (AWS_ENDPOINT_URL_DYNAMODB) and makes its first calls.
 * An empty handler, bundled and invoked the same way, is the baseline of the same run. Samples
 * go round-robin over the functions, so a busy moment of a shared machine lands on all of them.
 *
 * `npm run bench:cold`; COLD_SAMPLES (default 20) lowers the count for a quick run,
 * COLD_ONLY=health,notifier picks functions by name and COLD_SKIP=lifecycle leaves some out.
 * COLD_MEMORY_MB=512 models a memory size's CPU share: Lambda gives a function CPU in proportion
 * to its memory (a full vCPU at 1,769 MB), so each sample runs in a cgroup (v1 `cpu`, where this
 * machine lets one be made) whose quota is memory / 1,769 of one core; the figures then compare
 * memory sizes with each other (results/cold-start-<MB>mb.json), not with the full-core runs.
 * COLD_SPLIT=off bundles each function into one file as before the split (dynamic imports
 * inlined), to compare both ways in one session (results/cold-start-unsplit.json).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { build } from 'esbuild';
import { createTableInput } from '../functions/adapters/dynamodb/table-schema.ts';
import type { Role } from '../functions/core/engine/types.ts';
import type { FunctionAccess } from '../functions/core/module.ts';
import { handlerEntry, handlerNames, routeTable } from '../functions/http/routes.ts';
import { modules } from '../functions/services/registry.ts';
import { loadStageConfig } from '../lib/config/stage-config.ts';
import {
  bundleOptions,
  codeOutputs,
  esbuildOptions,
  loadedAtInit,
  repoRoot,
} from '../lib/constructs/bundling.ts';
import {
  httpAccess,
  httpSizing,
  type ScheduledHandlerName,
  type StreamHandlerName,
  scheduledJobs,
  streamConsumers,
} from '../lib/function-catalog.ts';
import { startDynamoDbLocal } from '../local/dynamodb-local.ts';
import { median, p90 } from './stats.ts';
import { table, writeResult } from './support.ts';

const SAMPLES = Number(process.env.COLD_SAMPLES ?? 20);
const ONLY = process.env.COLD_ONLY?.split(',').filter(Boolean);
const SKIP = process.env.COLD_SKIP?.split(',').filter(Boolean) ?? [];
const UNSPLIT = process.env.COLD_SPLIT === 'off';
const MEMORY_MB = process.env.COLD_MEMORY_MB ? Number(process.env.COLD_MEMORY_MB) : undefined;
/** Lambda: one full vCPU at 1,769 MB, proportionally less below. */
const FULL_VCPU_MB = 1769;
const CGROUP_ROOT = '/sys/fs/cgroup/cpu';

/** A cgroup limiting its processes to `share` of one core; removed by the returned function. */
function cpuShare(share: number): { dir: string; remove: () => void } {
  const dir = join(CGROUP_ROOT, `onestop-cold-${process.pid}`);
  mkdirSync(dir);
  const period = 100_000;
  writeFileSync(join(dir, 'cpu.cfs_period_us'), String(period));
  writeFileSync(join(dir, 'cpu.cfs_quota_us'), String(Math.round(period * share)));
  return { dir, remove: () => rmdirSync(dir) };
}
let cgroup: { dir: string; remove: () => void } | undefined;
const REGION = 'ap-east-1';
const STAGE = 'bench';
const EMPTY = 'empty handler';

type Claims = { sub: string; role: Role; agency?: string };

/** The request each HTTP function answers first: a read that reaches the table. */
const firstRequest: Record<
  string,
  { route: string; claims?: Claims; query?: Record<string, string>; body?: (n: number) => unknown }
> = {
  health: { route: 'GET /health' },
  // the catalogue reads no table: its first request is the handler's own work only
  catalog: { route: 'GET /services' },
  applications: { route: 'GET /applications', claims: { sub: 'parent-a', role: 'parent' } },
  drafts: { route: 'GET /drafts', claims: { sub: 'parent-a', role: 'parent' } },
  tasks: { route: 'GET /tasks', claims: { sub: 'cw-health', role: 'caseworker', agency: 'health' } },
  reports: {
    route: 'GET /reports/open-cases',
    claims: { sub: 'auditor', role: 'auditor' },
    query: { service: 'birth-registration' },
  },
  admin: { route: 'GET /admin/calendar', claims: { sub: 'admin', role: 'admin' } },
  'childcare-slot': { route: 'GET /childcare/nurseries' },
  // an institution's aid plans (GET /rehab/institutions is static data and reads no table)
  'rehab-aid': {
    route: 'GET /rehab/plans',
    claims: { sub: 'cw-rehab-center', role: 'caseworker', agency: 'rehab-institution:yq-rehab-center' },
  },
  // a code asked for a case that does not exist: counted against the (per-sample) address and
  // number, answered 200 as for any case (no enumeration), and nothing is texted
  progress: {
    route: 'POST /progress/code',
    body: (n) => ({
      applicationNumber: `01BENCH${String(n + 1).padStart(19, '0')}`,
      mobile: `138${String(n + 1).padStart(8, '0')}`,
    }),
  },
  // a township's allowances, as the auditor reads them
  'child-living-allowance': {
    route: 'GET /child-allowance/allowances',
    claims: { sub: 'auditor', role: 'auditor' },
    query: { township: 'lecheng' },
  },
  ratings: {
    route: 'GET /followups',
    claims: { sub: 'cw-center', role: 'caseworker', agency: 'service-center' },
  },
};

interface Fn {
  name: string;
  entry: string;
  access: FunctionAccess;
  memorySize: number;
  environment?: Record<string, string>;
  /** a fresh event for sample `n` */
  event: (n: number) => unknown;
}

function httpEvent(
  method: string,
  path: string,
  claims?: Claims,
  query?: Record<string, string>,
  body?: unknown,
  n = 0,
) {
  const routeKey = `${method} ${path}`;
  const now = Date.now();
  // a sample's own address (the public routes count requests per address)
  const sourceIp = `203.0.113.${(n + 256) % 256}`;
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: new URLSearchParams(query ?? {}).toString(),
    ...(query ? { queryStringParameters: query } : {}),
    headers: {
      accept: 'application/json',
      'accept-language': 'zh-CN,zh;q=0.9',
      host: 'api.example.com',
      'user-agent': 'Mozilla/5.0 (Linux; Android 14) Mobile',
      'x-forwarded-for': sourceIp,
      'x-forwarded-proto': 'https',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'bench',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp, userAgent: 'Mozilla/5.0' },
      requestId: `bench-${now}`,
      routeKey,
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
      ...(claims ? { authorizer: { jwt: { claims, scopes: [] } } } : {}),
    },
  };
}

/** A one-record batch: a domain event item inserted (the consumers' filter), new for each sample. */
function streamEvent(tableName: string, n: number) {
  const appId = `01BENCH${String(n).padStart(19, '0')}`;
  const eventId = `${appId}-0`;
  const at = new Date().toISOString();
  const image = {
    pk: `APP#${appId}`,
    sk: 'E#000000',
    type: 'event',
    event: {
      eventId,
      seq: 0,
      appId,
      service: 'birth-registration',
      type: 'submitted',
      at,
      actor: { sub: 'parent-a', role: 'parent' },
    },
  };
  return {
    Records: [
      {
        eventID: `bench-${n}`,
        eventName: 'INSERT',
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: REGION,
        eventSourceARN: `arn:aws:dynamodb:${REGION}:123456789012:table/${tableName}/stream/2026-01-01T00:00:00.000`,
        dynamodb: {
          ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
          Keys: marshall({ pk: image.pk, sk: image.sk }),
          NewImage: marshall(image, { removeUndefinedValues: true }),
          SequenceNumber: String(1_000_000 + n),
          SizeBytes: 400,
          StreamViewType: 'NEW_AND_OLD_IMAGES',
        },
      },
    ],
  };
}

function scheduledEvent(name: string) {
  return {
    version: '0',
    id: `bench-${Date.now()}`,
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '123456789012',
    time: new Date().toISOString(),
    region: REGION,
    resources: [`arn:aws:events:${REGION}:123456789012:rule/onestop-${STAGE}-${name}`],
    detail: {},
  };
}

async function functions(tableName: string): Promise<Fn[]> {
  const stageConfig = loadStageConfig(() => undefined);
  const routes = await routeTable(modules);
  const http = handlerNames.map((name): Fn => {
    // a handler not listed above (a new module) answers its first GET route without parameters
    const fallback = routes.find((r) => r.handler === name && r.method === 'GET' && !r.path.includes('{'));
    const pick = firstRequest[name] ?? (fallback && { route: `GET ${fallback.path}` });
    if (!pick) throw new Error(`no first request for HTTP function ${name}: add one to firstRequest`);
    const [method, path] = pick.route.split(' ') as [string, string];
    return {
      name: `http-${name}`,
      entry: handlerEntry.http(name),
      access: httpAccess[name] ?? { table: 'readWrite', fieldKey: 'decrypt' },
      memorySize: httpSizing.memorySize,
      event: (n) => httpEvent(method, path, pick.claims, pick.query, pick.body?.(n), n),
    };
  });
  const stream = (Object.keys(streamConsumers) as StreamHandlerName[]).map(
    (name): Fn => ({
      name: `stream-${name}`,
      entry: handlerEntry.stream(name),
      access: streamConsumers[name].access,
      memorySize: streamConsumers[name].sizing.memorySize,
      event: (n) => streamEvent(tableName, n),
    }),
  );
  const scheduled = (Object.keys(scheduledJobs) as ScheduledHandlerName[]).map((name): Fn => {
    const spec = scheduledJobs[name] as (typeof scheduledJobs)[string];
    return {
      name: `scheduled-${name}`,
      entry: handlerEntry.scheduled(name),
      access: spec.access,
      memorySize: spec.sizing.memorySize,
      // the job's settings from the dev stage's configuration
      environment: spec.environment?.(stageConfig),
      event: () => scheduledEvent(name),
    };
  });
  return [...http, ...stream, ...scheduled];
}

/**
 * Bundles `entry` as the construct does, into <dir>/<name>/index.mjs and its chunks, source maps
 * linked beside them (read on load under NODE_OPTIONS=--enable-source-maps, as deployed).
 */
async function bundle(
  dir: string,
  name: string,
  entry: string,
): Promise<{ file: string; bytes: number; initBytes: number }> {
  const outdir = join(dir, name);
  // the deployed target is the Lambda runtime's Node; this machine's Node must parse the output
  const result = await build({
    ...esbuildOptions(entry, outdir, `node${process.versions.node.split('.')[0]}`),
    ...(UNSPLIT ? { splitting: false } : {}),
    metafile: true,
  });
  return {
    file: join(outdir, 'index.mjs'),
    bytes: codeOutputs(result.metafile).reduce((n, [, out]) => n + out.bytes, 0),
    initBytes: loadedAtInit(result.metafile).bytes,
  };
}

/** The environment the CDK gives the function (lib/constructs/onestop-function.ts), pointed at this machine. */
function environment(fn: Fn, tableName: string, endpoint: string, keyFile: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    // what the Lambda runtime sets
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_LAMBDA_FUNCTION_NAME: `onestop-${STAGE}-${fn.name}`,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_EXECUTION_ENV: `AWS_Lambda_nodejs${bundleOptions.target.slice(4)}.x`,
    AWS_ACCESS_KEY_ID: 'ASIABENCHBENCHBENCH00',
    AWS_SECRET_ACCESS_KEY: 'bench/bench/bench/bench/bench/bench/bench0',
    AWS_SESSION_TOKEN: 'bench-session-token',
    TZ: ':UTC',
    // DynamoDB Local through the SDK's own endpoint setting, so the client resolves credentials
    // and endpoint as it does on Lambda (DYNAMODB_ENDPOINT would hand it static local ones)
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    // what the construct sets
    ...fn.environment,
    STAGE,
    LOG_LEVEL: 'error',
    TABLE_NAME: tableName,
    KMS_KEY_ID: `arn:aws:kms:${REGION}:123456789012:key/00000000-0000-0000-0000-000000000000`,
    CONSOLE_ORIGIN: 'https://console.example.com',
    NODE_OPTIONS: '--enable-source-maps',
    // the field keys: a local key file instead of the KMS-encrypted ones (no KMS emulator)
    ...(fn.access.fieldKey ? { DATA_KEY_FILE: keyFile } : {}),
    ...(fn.access.documents ? { DOCUMENTS_BUCKET: `onestop-${STAGE}-documents` } : {}),
    ...(fn.access.sendMail
      ? { MAIL_FROM: 'noreply@example.com', SES_CONFIGURATION_SET: 'onestop-bench' }
      : {}),
  };
  return env;
}

interface Sample {
  initMs: number;
  firstMs: number;
}

function sample(child: string, file: string, fn: Fn, n: number, env: NodeJS.ProcessEnv): Sample {
  const args = [child, file, JSON.stringify(fn.event(n)), fn.name];
  // in the memory size's cgroup: the shell moves itself there, then becomes node
  const res = cgroup
    ? spawnSync(
        'sh',
        ['-c', `echo $$ > "${cgroup.dir}/tasks" && exec "$0" "$@"`, process.execPath, ...args],
        {
          env,
          encoding: 'utf8',
          timeout: 120_000,
        },
      )
    : spawnSync(process.execPath, args, { env, encoding: 'utf8', timeout: 60_000 });
  const line = res.stdout.trim().split('\n').at(-1) ?? '';
  if (res.status !== 0 || !line.startsWith('{'))
    throw new Error(`${fn.name}: exit ${res.status}\n${res.stderr}\n${res.stdout}`);
  const out = JSON.parse(line) as Sample & { status?: number; failures?: number; error?: string };
  if ((out.status ?? 200) >= 400 || (out.failures ?? 0) > 0)
    throw new Error(
      `${fn.name}: answered ${out.status ?? `${out.failures} failed records`} ${out.error ?? ''}`,
    );
  return { initMs: out.initMs, firstMs: out.firstMs };
}

const ms = (n: number) => n.toFixed(1);

async function main() {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'onestop-cold-'));
  // the SDK (external) resolves from node_modules above the bundle, as the runtime's copy does
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  mkdirSync(join(dir, 'keys'));
  const keyFile = join(dir, 'keys', 'field-keys.json');
  const dynamo = await startDynamoDbLocal({ log: () => {} });
  try {
    const tableName = `onestop-${STAGE}-${Date.now()}`;
    const ddb = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await ddb.send(new CreateTableCommand(createTableInput(tableName)));
    ddb.destroy();

    const emptyEntry = join(dir, 'empty-handler.ts');
    writeFileSync(emptyEntry, "export const handler = async () => ({ statusCode: 200, body: '{}' });\n");
    const all: Fn[] = [
      {
        name: EMPTY,
        entry: emptyEntry,
        access: { table: 'read' },
        memorySize: httpSizing.memorySize,
        event: () => httpEvent('GET', '/health'),
      },
      ...(await functions(tableName))
        .filter((f) => !ONLY || ONLY.some((o) => f.name.includes(o)))
        .filter((f) => !SKIP.some((o) => f.name.includes(o))),
    ];
    const built = new Map<string, { file: string; bytes: number; initBytes: number }>();
    for (const fn of all) built.set(fn.name, await bundle(dir, fn.name.replace(/ /g, '-'), fn.entry));

    const child = join(repoRoot, 'bench', 'cold-start-child.mjs');
    const envs = new Map(all.map((fn) => [fn.name, environment(fn, tableName, dynamo.endpoint, keyFile)]));
    // the first start of a function with the field keys creates the key file: not a sample
    const firstKeyed = all.find((f) => f.access.fieldKey);
    if (firstKeyed)
      sample(child, built.get(firstKeyed.name)!.file, firstKeyed, -1, envs.get(firstKeyed.name)!);

    if (MEMORY_MB) {
      // every function at the memory size asked for (its environment says so, as Lambda's does)
      for (const fn of all) envs.get(fn.name)!.AWS_LAMBDA_FUNCTION_MEMORY_SIZE = String(MEMORY_MB);
      cgroup = cpuShare(Math.min(1, MEMORY_MB / FULL_VCPU_MB));
    }
    const samples = new Map<string, Sample[]>(all.map((fn) => [fn.name, []]));
    for (let n = 0; n < SAMPLES; n++) {
      for (const fn of all) {
        samples.get(fn.name)!.push(sample(child, built.get(fn.name)!.file, fn, n, envs.get(fn.name)!));
      }
      process.stdout.write(`\rsample ${n + 1}/${SAMPLES}`);
    }
    process.stdout.write('\n');

    const emptyInit = median(samples.get(EMPTY)!.map((s) => s.initMs));
    const rows = all.map((fn) => {
      const s = samples.get(fn.name)!;
      const init = s.map((x) => x.initMs);
      const first = s.map((x) => x.firstMs);
      return {
        function: fn.name,
        KB: Math.round(built.get(fn.name)!.bytes / 1024),
        'KB at init': Math.round(built.get(fn.name)!.initBytes / 1024),
        'init median ms': ms(median(init)),
        'init p90 ms': ms(p90(init)),
        'init − empty ms': ms(median(init) - emptyInit),
        'init ratio': (median(init) / emptyInit).toFixed(2),
        'first request median ms': ms(median(first)),
        'first request p90 ms': ms(p90(first)),
      };
    });
    table(rows);
    writeResult(MEMORY_MB ? `cold-start-${MEMORY_MB}mb` : UNSPLIT ? 'cold-start-unsplit' : 'cold-start', {
      samples: SAMPLES,
      model:
        'fresh node per sample; init = process start to bundle imported; first request = one invocation against DynamoDB Local',
      ...(MEMORY_MB
        ? { memoryMB: MEMORY_MB, cpuShareOfOneCore: Number(Math.min(1, MEMORY_MB / FULL_VCPU_MB).toFixed(3)) }
        : {}),
      seconds: Math.round((Date.now() - started) / 1000),
      rows,
    });
  } finally {
    cgroup?.remove();
    await dynamo.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
