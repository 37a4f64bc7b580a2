/**
 * Agents' authorisations (core/authorisation.ts) for the functions that need them: the progress
 * function texts the guardian's confirmation code (it holds the SMS permission), the applications
 * function checks codes and letters at submission and gives view links of letters.
 */
import { ulid } from 'ulid';
import { DynamoCaseDocumentStore } from '#adapters/dynamodb/case-document-store';
import { DynamoProgressCodes } from '#adapters/dynamodb/progress-codes';
import { AgentAuthorisation } from '#core/authorisation';
import { documentStorage, documentsRequireEncryption } from './documents-wiring.ts';
import { logger } from './logger.ts';
import { smsFromEnv } from './sms-wiring.ts';
import { clock, wiring } from './wiring.ts';

const built = new Map<'sms' | 'documents', AgentAuthorisation>();

/** `sms`: sends confirmation codes; `documents`: checks and shows letters. */
export async function agentAuthorisation(use: 'sms' | 'documents'): Promise<AgentAuthorisation> {
  const w = wiring();
  await w.ready();
  let made = built.get(use);
  if (!made) {
    const events = new DynamoCaseDocumentStore(w.doc, w.tableName);
    made = new AgentAuthorisation({
      apps: w.repo,
      codes: new DynamoProgressCodes(w.doc, w.tableName),
      sms: use === 'sms' ? smsFromEnv() : undefined,
      files: use === 'documents' ? documentStorage : undefined,
      limits: w.rateLimiter,
      clock,
      ids: { newId: ulid },
      hash: (v) => w.cipher.blindIndex(v),
      appendEvent: (event) => events.appendEvent(event),
      requireEncryption: documentsRequireEncryption(),
      // the error's name only: a provider's message may echo the number
      onSendFailure: (err) => logger.warn('authorisation code not sent', { error: (err as Error).name }),
    });
    built.set(use, made);
  }
  return made;
}
