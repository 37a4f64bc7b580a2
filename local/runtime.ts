/**
 * The embedded runtime (DESIGN §5): DynamoDB Local, local SES, the SMS sink, the API server over the real
 * handler modules, the stream poller(s) and the sweeper, all on loopback, all stopped by `stop()`.
 * The emulators are supervised: one that dies is restarted on the same port with its data.
 * `local/start.ts` runs it for `npm start`; the e2e and browser tests run that same command.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { createTableInput } from '../functions/adapters/dynamodb/table-schema.ts';
import { handlerEntry } from '../functions/http/routes.ts';
import { modules } from '../functions/services/registry.ts';
import { startApiServer } from './api-server.ts';
import { supervise } from './child-service.ts';
import { demoUsers, devIdp } from './dev-idp.ts';
import { checkJava, startDynamoDbLocal } from './dynamodb-local.ts';
import { freePort } from './free-port.ts';
import { oidcIssuersFromEnv, oidcVerifier } from './oidc-issuers.ts';
import { startS3Local } from './s3-local.ts';
import { startSesLocal } from './ses-local.ts';
import { startSmsSink } from './sms-sink.ts';
import { type StreamHandler, StreamPoller } from './stream-poller.ts';

export interface RuntimeOptions {
  port: number;
  /** where DynamoDB Local's data, keys and checkpoints live; persisted across restarts */
  dataDir: string;
  tableName?: string;
  sesPort?: number;
  dynamoPort?: number;
  sweepIntervalMs?: number;
  log?: (line: string) => void;
  /** told when a supervised emulator was restarted (its process id changed) */
  onRestart?: () => void;
}

/** Process ids of the supervised emulators, as they are now. */
export interface RuntimeProcesses {
  dynamodb: number;
  ses: number;
  s3: number;
}

export interface Runtime {
  url: string;
  mailUrl: string;
  /** the SMS sink: viewer page and /store API */
  smsUrl: string;
  dynamoEndpoint: string;
  tableName: string;
  processes(): RuntimeProcesses;
  stop(): Promise<void>;
}

/** The private documents bucket of the local S3 (uploads of the modules that take documents). */
export const DOCUMENTS_BUCKET = 'onestop-documents';

export const streamConsumers: Record<string, () => Promise<StreamHandler>> = {
  notifier: async () => (await import('../functions/streams/notifier.ts')).handler,
  metrics: async () => (await import('../functions/streams/metrics.ts')).handler,
};

export async function startRuntime(opts: RuntimeOptions): Promise<Runtime> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const dataDir = resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const tableName = opts.tableName ?? 'onestop';
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((err: Error) => log(`[runtime] stop: ${err.message}`));
  };

  try {
    checkJava();
    // -sharedDb -dbPath: data is on disk, so a restarted DynamoDB Local loses nothing.
    const dynamoStart = (port: number) =>
      startDynamoDbLocal({ port, dbPath: join(dataDir, 'dynamodb'), log });
    const sesStart = (port: number) => startSesLocal({ port });
    // documents: presigned uploads from the console's origin, kept under dataDir
    const s3Start = (port?: number) =>
      startS3Local({
        ...(port ? { port } : {}),
        dir: join(dataDir, 's3'),
        buckets: [DOCUMENTS_BUCKET],
        corsOrigins: [`http://127.0.0.1:${opts.port}`],
        log,
      });
    const [dynamo, ses, s3] = await Promise.all([
      dynamoStart(opts.dynamoPort ?? (await freePort())),
      sesStart(opts.sesPort ?? (await freePort())),
      s3Start(),
    ]);
    const onRestart = () => opts.onRestart?.();
    const supervised = {
      dynamodb: supervise(dynamo, {
        title: 'DynamoDB Local',
        restart: () => dynamoStart(dynamo.port),
        log,
        onRestart,
      }),
      // the local SES keeps mails in memory: the viewer starts empty after a restart
      ses: supervise(ses, { title: 'local SES', restart: () => sesStart(ses.port), log, onRestart }),
      s3: supervise(s3, { title: 'local S3', restart: () => s3Start(s3.port), log, onRestart }),
    };
    stops.push(supervised.dynamodb.stop, supervised.ses.stop, supervised.s3.stop);
    await ensureTable(dynamo.endpoint, tableName);
    // in this process, texts kept on disk: it lives and dies with the runtime
    const sms = await startSmsSink({ file: join(dataDir, 'sms', 'messages.jsonl'), log });
    stops.push(sms.stop);

    Object.assign(process.env, {
      STAGE: 'local',
      TABLE_NAME: tableName,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      SES_ENDPOINT: ses.endpoint,
      SMS_SINK_URL: sms.url,
      AWS_REGION: process.env.AWS_REGION ?? 'ap-east-1',
      DATA_KEY_FILE: join(dataDir, 'keys', 'field-keys.json'),
      MAIL_FROM: process.env.MAIL_FROM ?? 'noreply@onestop.local',
      CONSOLE_ORIGIN: `http://127.0.0.1:${opts.port}`,
      S3_ENDPOINT: s3.endpoint,
      S3_ACCESS_KEY_ID: s3.credentials.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
      DOCUMENTS_BUCKET,
      DOCUMENTS_SSE: 'AES256',
      // s3rver keeps plain files on loopback and cannot report encryption (local/s3-local.ts)
      DOCUMENTS_REQUIRE_SSE: 'false',
    });

    const idp = await devIdp(join(dataDir, 'keys', 'idp.json'));
    const staticDir = resolve('web/dist');
    // OIDC_ISSUERS: the gateway also accepts these providers' tokens, as the cn stage's authorizers
    const issuers = oidcIssuersFromEnv();
    const api = await startApiServer({
      port: opts.port,
      idp,
      oidc: issuers ? oidcVerifier(issuers) : undefined,
      staticDir: existsSync(staticDir) ? staticDir : undefined,
      log,
    });
    stops.push(api.close);
    process.env.CONSOLE_ORIGIN = api.url;
    // Reference data that lives in the table (each module's `local.seedPath`, e.g. a register of
    // organisations). Through the public API as an admin would; idempotent, and in the
    // background so start-up stays fast.
    const seedToken = await idp.sign({ sub: 'seed', role: 'admin' });
    for (const m of modules) {
      if (m.local?.seedPath) void seedReferenceData(api.url, m.local.seedPath, seedToken, log);
    }

    // ONESTOP_STREAMS=off leaves events unconsumed (crash-recovery tests: transitions commit,
    // their e-mails are sent by the next run).
    const consumers = process.env.ONESTOP_STREAMS === 'off' ? [] : Object.entries(streamConsumers);
    for (const [name, load] of consumers) {
      const poller = new StreamPoller({
        name,
        endpoint: dynamo.endpoint,
        tableName,
        handler: await load(),
        checkpointFile: join(dataDir, 'streams', `${name}.checkpoint.json`),
        deadLetterFile: join(dataDir, 'streams', `${name}.dead-letters.jsonl`),
        log,
      });
      poller.start();
      stops.push(() => poller.stop());
    }

    const sweeper = (await import('../functions/scheduled/sweeper.ts')).handler;
    let sweeping = false;
    const timer = setInterval(() => {
      if (sweeping) return;
      sweeping = true;
      sweeper()
        .catch((err: Error) => log(`[sweeper] ${err.message}`))
        .finally(() => {
          sweeping = false;
        });
    }, opts.sweepIntervalMs ?? 60_000);
    stops.push(async () => clearInterval(timer));

    // The modules' scheduled jobs (e.g. document retention, daily in AWS): at start, then at
    // each job's local interval.
    for (const job of modules.flatMap((m) => m.jobs ?? [])) {
      const run = (await import(/* @vite-ignore */ `../${handlerEntry.scheduled(job.name)}`))
        .handler as () => Promise<unknown>;
      const once = () =>
        run()
          .then((r) => {
            const summary = r && typeof r === 'object' && 'summary' in r ? String(r.summary) : '';
            if (summary) log(`[${job.name}] ${summary}`);
          })
          .catch((err: Error) => log(`[${job.name}] ${err.message}`));
      const every = Number(process.env[job.localIntervalEnv ?? ''] ?? job.localIntervalMs);
      const jobTimer = setInterval(once, every);
      stops.push(async () => clearInterval(jobTimer));
      void once();
    }

    return {
      url: api.url,
      mailUrl: ses.endpoint,
      smsUrl: sms.url,
      dynamoEndpoint: dynamo.endpoint,
      tableName,
      processes: () => ({
        dynamodb: supervised.dynamodb.current().pid,
        ses: supervised.ses.current().pid,
        s3: supervised.s3.current().pid,
      }),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function seedReferenceData(url: string, path: string, token: string, log: (line: string) => void) {
  try {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await res.json()) as { summary?: string };
    if (!res.ok) throw new Error(`${res.status} ${JSON.stringify(body)}`);
    if (body.summary) log(`[seed] ${body.summary}`);
  } catch (err) {
    log(`[seed] ${path} not seeded: ${(err as Error).message}`);
  }
}

async function ensureTable(endpoint: string, tableName: string) {
  const ddb = new DynamoDBClient({
    endpoint,
    region: 'ap-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    await ddb.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException)) throw err;
    await ddb.send(new CreateTableCommand(createTableInput(tableName)));
  }
  ddb.destroy();
}

export function banner(rt: Runtime, startedMs: number): string {
  const users = demoUsers
    .map(
      (u) =>
        `    ${u.sub.padEnd(20)} ${u.role.padEnd(11)} ${(u.agency ?? '').padEnd(18)} ${(u.township ?? '').padEnd(9)} ${u.name ?? ''}`,
    )
    .join('\n');
  return [
    '',
    `Onestop 一网通办 is running (started in ${(startedMs / 1000).toFixed(1)} s)`,
    '',
    `  Console 控制台     ${rt.url}/`,
    `  API                ${rt.url}/health   ${rt.url}/openapi.json`,
    `  Token (dev IdP)    POST ${rt.url}/local/token  {"sub":"parent-wang","role":"parent"}`,
    `  Mail viewer 邮件   ${rt.mailUrl}/`,
    `  SMS viewer 短信    ${rt.smsUrl}/   (JSON: ${rt.smsUrl}/store)`,
    `  DynamoDB Local     ${rt.dynamoEndpoint}  (table ${rt.tableName})`,
    `  S3 (documents)     ${process.env.S3_ENDPOINT ?? ''}  (bucket ${DOCUMENTS_BUCKET})`,
    '',
    '  Demo users 演示账号 (sub, role, agency, township, name):',
    users,
    '',
    '  Ctrl-C stops everything.',
    '',
  ].join('\n');
}
