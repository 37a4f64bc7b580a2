/**
 * After a full run of the `npm start` runtime: everything it stored (a Scan of its table, tests
 * only), everything it logged and every e-mail and text message it sent, as text, plus the valid 身份证号 found in
 * any of it. A valid ID is 18 characters shaped like one (not the fraction digits of a float)
 * that also pass the GB 11643 checks: what a leak would look like.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { makeDocumentClient } from '#adapters/dynamodb/client';
import { idNumberProblem } from '#core/id-number';
import { listSentMail } from '../../local/ses-local.ts';
import { listSentSms } from '../../local/sms-sink.ts';
import type { RuntimeProcess } from './runtime-process.ts';

const ID_SHAPED = /(?<![\d.])\d{17}[\dX](?!\d)/g;

export const validIdsIn = (text: string) =>
  (text.match(ID_SHAPED) ?? []).filter((c) => idNumberProblem(c) === null);

export async function everythingTheRunKept(rt: RuntimeProcess) {
  const doc = makeDocumentClient(rt.dynamoEndpoint);
  const items: unknown[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new ScanCommand({ TableName: rt.tableName, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return {
    items,
    stored: JSON.stringify(items),
    mails: JSON.stringify(await listSentMail(rt.mailUrl)),
    texts: JSON.stringify(await listSentSms(rt.smsUrl)),
    logs: rt.logs.join(''),
  };
}

/**
 * Mainland mobile numbers (1[3-9] and 9 digits), not inside a longer run of digits or letters: a
 * keyed hash in hex holds such runs by chance (about one counter in a few dozen).
 */
const MOBILE_SHAPED = /(?<![\w.])1[3-9]\d{9}(?!\w)/g;

export const mobilesIn = (text: string) => text.match(MOBILE_SHAPED) ?? [];
