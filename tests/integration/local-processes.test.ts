/**
 * The local emulators behind `npm start` and the integration tests (DESIGN §5): DynamoDB Local,
 * local SES and local S3 answer, listen on 127.0.0.1 only, keep data where promised, and never
 * outlive the process that started them. Java's absence is reported with the fix.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { supervise } from '../../local/child-service.ts';
import { checkJava, JavaMissingError, startDynamoDbLocal } from '../../local/dynamodb-local.ts';
import { freePort } from '../../local/free-port.ts';
import { startS3Local } from '../../local/s3-local.ts';
import { listSentMail, startSesLocal } from '../../local/ses-local.ts';

const SLOW = 60_000;
const repoRoot = new URL('../../', import.meta.url).pathname;
const tmpDirs: string[] = [];
const stops: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const stop of stops) await stop();
  for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  tmpDirs.push(d);
  return d;
}

/**
 * Local addresses of the sockets LISTENING on `port`, read from /proc/net/tcp{,6}: no connection
 * is made, so nothing ever touches a non-loopback address.
 */
function listeningAddresses(port: number): string[] {
  const out: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(file)) continue;
    for (const row of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = row.trim().split(/\s+/);
      if (!local || state !== '0A') continue; // 0A = LISTEN
      const [hexAddr, hexPort] = local.split(':');
      if (!hexAddr || !hexPort || Number.parseInt(hexPort, 16) !== port) continue;
      out.push(decodeProcAddress(hexAddr));
    }
  }
  return out;
}

/** /proc/net/tcp prints each 32-bit word of the address in host (little-endian) byte order. */
function decodeProcAddress(hex: string): string {
  const bytes: number[] = [];
  for (let w = 0; w < hex.length; w += 8) {
    const word = hex.slice(w, w + 8);
    for (let b = 6; b >= 0; b -= 2) bytes.push(Number.parseInt(word.slice(b, b + 2), 16));
  }
  if (bytes.length === 4) return bytes.join('.');
  const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (mapped) return `::ffff:${bytes.slice(12).join('.')}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

function ddbClient(endpoint: string) {
  return new DynamoDBClient({
    endpoint,
    region: 'ap-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/** True once `pid` is gone (a zombie counts: it no longer runs and holds no socket). */
function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  const status = existsSync(`/proc/${pid}/status`) ? readFileSync(`/proc/${pid}/status`, 'utf8') : '';
  return /^State:\s+Z/m.test(status);
}

async function eventually(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

describe('DynamoDB Local', () => {
  it('started by the global setup, answers ListTables', async () => {
    // Arrange
    const ddb = ddbClient(inject('dynamodbEndpoint'));

    // Act
    const res = await ddb.send(new ListTablesCommand({}));

    // Assert
    expect(res.$metadata.httpStatusCode).toBe(200);
    expect(Array.isArray(res.TableNames)).toBe(true);
    ddb.destroy();
  });

  it('listens on 127.0.0.1 only', () => {
    // Arrange
    const endpoint = new URL(inject('dynamodbEndpoint'));

    // Act
    const addresses = listeningAddresses(Number(endpoint.port));

    // Assert
    expect(endpoint.hostname).toBe('127.0.0.1');
    expect(addresses.length).toBeGreaterThan(0);
    expect(new Set(addresses)).toEqual(new Set(['127.0.0.1']));
  });

  it(
    'with a dbPath, keeps a table created before stop() after a restart',
    async () => {
      // Arrange
      const dbPath = join(tempDir('onestop-ddb-'), 'nested', 'dynamodb');
      const first = await startDynamoDbLocal({ dbPath });
      const before = ddbClient(first.endpoint);
      await before.send(
        new CreateTableCommand({
          TableName: 'persisted',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        }),
      );
      before.destroy();
      await first.stop();

      // Act
      const second = await startDynamoDbLocal({ dbPath });
      const after = ddbClient(second.endpoint);
      const res = await after.send(new ListTablesCommand({}));
      after.destroy();
      await second.stop();

      // Assert
      expect(res.TableNames).toContain('persisted');
      expect(processGone(first.pid)).toBe(true);
      expect(processGone(second.pid)).toBe(true);
      expect(listeningAddresses(second.port)).toEqual([]);
    },
    SLOW,
  );

  it(
    'binds the port it is given, and an occupied port fails with the JVM output in the error',
    async () => {
      // Arrange
      const port = await freePort();
      const db = await startDynamoDbLocal({ port });

      // Act
      const clash = startDynamoDbLocal({ port });

      // Assert
      await expect(clash).rejects.toThrow(/DynamoDB Local did not start: the process exited/);
      await expect(clash).rejects.toThrow(/last output/);
      expect(db.endpoint).toBe(`http://127.0.0.1:${port}`);
      expect(listeningAddresses(port)).toEqual(['127.0.0.1']);
      await db.stop();
    },
    SLOW,
  );

  it(
    'does not outlive the Node process that started it, even one killed with SIGKILL',
    async () => {
      // Arrange: a separate Node process starts DynamoDB Local and reports the JVM's pid
      const script = `import('./local/dynamodb-local.ts').then(async (m) => {
        const db = await m.startDynamoDbLocal({});
        console.log('PID ' + db.pid);
      });`;
      const parent = spawn(process.execPath, ['--import', 'tsx', '-e', script], {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      parent.stderr.on('data', (b: Buffer) => {
        output += b.toString();
      });
      const jvmPid = await new Promise<number>((resolve, reject) => {
        parent.stdout.on('data', (b: Buffer) => {
          output += b.toString();
          const m = /PID (\d+)/.exec(output);
          if (m?.[1]) resolve(Number(m[1]));
        });
        parent.once('exit', () => reject(new Error(`parent exited early:\n${output}`)));
      });
      expect(processGone(jvmPid)).toBe(false);

      // Act
      parent.kill('SIGKILL');

      // Assert
      expect(await eventually(() => processGone(jvmPid), 10_000)).toBe(true);
    },
    SLOW,
  );
});

describe('checkJava', () => {
  it('reports the Java version when java is on PATH', () => {
    // Act
    const { version } = checkJava();

    // Assert
    expect(version).toBeGreaterThanOrEqual(17);
  });

  it('names the fix when PATH has no java', () => {
    // Arrange: a child process whose PATH holds no java
    const script = `import('./local/dynamodb-local.ts').then((m) => {
      try { m.checkJava(); console.log('NO ERROR'); }
      catch (e) { console.log(e.name + ': ' + e.message); }
    });`;

    // Act
    const res = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: repoRoot,
      env: { ...process.env, PATH: '' },
      encoding: 'utf8',
    });

    // Assert
    expect(res.stdout).toContain('JavaMissingError');
    expect(res.stdout).toContain('Java 17+ is required for DynamoDB Local');
    expect(res.stdout).toContain('apt-get install -y openjdk-17-jre-headless');
    expect(res.stdout).toContain('found: `java` not found');
  });

  it('rejects a Java older than 17 and says which version it found', () => {
    // Arrange: a fake `java` that answers like Java 8
    const fake = join(tempDir('onestop-java-'), 'java');
    writeFileSync(fake, '#!/bin/sh\necho \'java version "1.8.0_402"\' >&2\n');
    chmodSync(fake, 0o755);

    // Act
    const act = () => checkJava(fake);

    // Assert
    expect(act).toThrow(JavaMissingError);
    expect(act).toThrow(/found: version 8\)/);
  });

  it('makes startDynamoDbLocal fail before spawning anything', async () => {
    // Act
    const start = startDynamoDbLocal({ javaCommand: '/nonexistent/bin/java' });

    // Assert
    await expect(start).rejects.toBeInstanceOf(JavaMissingError);
  });
});

describe('local SES', () => {
  it(
    'stores a mail sent with SendEmailCommand, and listSentMail returns it',
    async () => {
      // Arrange
      const ses = await startSesLocal({});
      const client = new SESClient({
        endpoint: ses.endpoint,
        region: 'ap-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });

      // Act
      const sent = await client.send(
        new SendEmailCommand({
          Source: 'noreply@onestop.local',
          Destination: { ToAddresses: ['parent@example.test'] },
          Message: {
            Subject: { Data: '出生一件事：已受理' },
            Body: { Text: { Data: 'Application A-1 received' }, Html: { Data: '<p>A-1</p>' } },
          },
        }),
      );
      const mails = await listSentMail(ses.endpoint);
      const viewer = await fetch(`${ses.endpoint}/`);
      const addresses = listeningAddresses(ses.port);
      client.destroy();
      await ses.stop();

      // Assert
      expect(mails).toHaveLength(1);
      expect(mails[0]).toMatchObject({
        messageId: sent.MessageId,
        from: 'noreply@onestop.local',
        to: ['parent@example.test'],
        subject: '出生一件事：已受理',
        text: 'Application A-1 received',
        html: '<p>A-1</p>',
      });
      expect(Math.abs(Date.parse(mails[0]?.at ?? '') - Date.now())).toBeLessThan(60_000);
      expect(viewer.status).toBe(200);
      expect(addresses).toEqual(['127.0.0.1']);
      expect(processGone(ses.pid)).toBe(true);
    },
    SLOW,
  );
});

describe('supervise', () => {
  it(
    'restarts a killed local SES on the same port and says so',
    async () => {
      // Arrange
      const first = await startSesLocal({});
      const lines: string[] = [];
      const restarted = new Promise<number>((resolve) => {
        const supervisor = supervise(first, {
          title: 'local SES',
          restart: () => startSesLocal({ port: first.port }),
          log: (line) => lines.push(line),
          initialDelayMs: 50,
          onRestart: (next) => resolve(next.pid),
        });
        stops.push(supervisor.stop);
      });

      // Act
      process.kill(first.pid, 'SIGKILL');
      const pid = await restarted;
      const health = await fetch(`http://127.0.0.1:${first.port}/health-check`);

      // Assert
      expect(pid).not.toBe(first.pid);
      expect(health.status).toBe(200);
      expect(lines.join('\n')).toContain(`local SES (pid ${first.pid}) killed by SIGKILL; restarting`);
      expect(lines.join('\n')).toContain(`local SES restarted (pid ${pid}`);
    },
    SLOW,
  );

  it(
    'does not restart a service stopped through the supervisor',
    async () => {
      // Arrange
      const first = await startSesLocal({});
      const lines: string[] = [];
      const supervisor = supervise(first, {
        title: 'local SES',
        restart: () => startSesLocal({ port: first.port }),
        log: (line) => lines.push(line),
        initialDelayMs: 50,
      });

      // Act
      await supervisor.stop();
      await new Promise((r) => setTimeout(r, 300));

      // Assert
      expect(supervisor.restarts()).toBe(0);
      expect(processGone(first.pid)).toBe(true);
      expect(lines).toEqual([]);
    },
    SLOW,
  );
});

describe('local S3', () => {
  it(
    'stores objects under dir on 127.0.0.1 and keeps them across a restart',
    async () => {
      // Arrange
      const dir = tempDir('onestop-s3-');
      const first = await startS3Local({ dir, buckets: ['docs'] });
      const put = await fetch(`${first.endpoint}/docs/app-1/birth.pdf`, {
        method: 'PUT',
        body: '%PDF-1.4 test',
        headers: { 'content-type': 'application/pdf' },
      });
      const addresses = listeningAddresses(first.port);
      await first.stop();

      // Act
      const second = await startS3Local({ dir, buckets: ['docs'] });
      const get = await fetch(`${second.endpoint}/docs/app-1/birth.pdf`);
      const body = await get.text();
      await second.stop();

      // Assert
      expect(put.status).toBe(200);
      expect(addresses).toEqual(['127.0.0.1']);
      expect(get.status).toBe(200);
      expect(get.headers.get('content-type')).toBe('application/pdf');
      expect(body).toBe('%PDF-1.4 test');
    },
    SLOW,
  );

  it(
    'accepts a presigned PUT and serves the object on a presigned GET, with CORS for the console',
    async () => {
      // Arrange
      const origin = 'http://127.0.0.1:3000';
      const s3l = await startS3Local({
        dir: tempDir('onestop-s3-'),
        buckets: ['docs'],
        corsOrigins: [origin],
      });
      const s3 = new S3Client({
        endpoint: s3l.endpoint,
        region: 'ap-east-1',
        forcePathStyle: true,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        credentials: s3l.credentials,
      });
      const key = 'app-2/id-card.png';
      const putUrl = await getSignedUrl(
        s3,
        new PutObjectCommand({ Bucket: 'docs', Key: key, ContentType: 'image/png' }),
        { expiresIn: 300 },
      );
      const getUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'docs', Key: key }), {
        expiresIn: 300,
      });

      // Act
      const preflight = await fetch(putUrl, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'PUT',
          'access-control-request-headers': 'content-type',
        },
      });
      const put = await fetch(putUrl, {
        method: 'PUT',
        body: 'PNG bytes',
        headers: { 'content-type': 'image/png', origin },
      });
      const get = await fetch(getUrl);
      const body = await get.text();
      const foreign = await fetch(putUrl, {
        method: 'OPTIONS',
        headers: { origin: 'http://elsewhere.test', 'access-control-request-method': 'PUT' },
      });
      s3.destroy();
      await s3l.stop();

      // Assert
      expect(putUrl).not.toContain('x-amz-checksum');
      expect(preflight.status).toBe(200);
      expect(put.status).toBe(200);
      expect(put.headers.get('access-control-allow-origin')).toBe(origin);
      expect(get.status).toBe(200);
      expect(get.headers.get('content-type')).toBe('image/png');
      expect(body).toBe('PNG bytes');
      expect(foreign.status).toBe(403);
    },
    SLOW,
  );
});
