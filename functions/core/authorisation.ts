/**
 * Applying on a family's behalf (代办/委托, issue 15 item 3). An agent — a village or community
 * committee, a hospital's newborn window, a social organisation — files a case for a
 * family on the guardian's authorisation, given one of two ways:
 *
 * - `letter`: a signed 委托书 uploaded before the submission (presigned PUT to the documents
 *   bucket under a key that names the agent's keyed hash, so no other account can cite it);
 *   the submission checks the file (size, type by its bytes, encryption) and the case keeps it
 *   for the caseworkers and the family to view, every view an event in the case history;
 * - `code`: the guardian's confirmation — a one-time code texted to the family's number, which
 *   the guardian tells the agent; the submission carries it and it must match the form's contact
 *   number. Codes are hashed, short-lived, tried a few times and used once, as every code here.
 *
 * The case then lists under the agent's account (its `applicant`), and the family claims it by
 * linking with a code to the form's contact number (core/guardians.ts): from then on the family
 * sees and controls it as if they had applied, while the agent sees only what they filed, masked.
 */
import { tooLarge } from './case-documents.ts';
import { getService } from './catalog.ts';
import {
  type DocumentStorage,
  type DocumentType,
  EXTENSIONS,
  MAX_DOCUMENT_BYTES,
  type UploadTicket,
  uploadProblem,
} from './documents.ts';
import { canRead, isFamily, isFilingAgent } from './engine/access.ts';
import type { Actor, FiledBy, PendingEvent } from './engine/types.ts';
import { BadRequestError, ForbiddenError, NotFoundError, ValidationError } from './errors.ts';
import { type I18nText, t } from './i18n.ts';
import { limitHit, newCode, sameHash, wrongCode } from './one-time-code.ts';
import type {
  ApplicationRepository,
  Clock,
  CodeFor,
  Ids,
  ProgressCodeStore,
  RateCounter,
  SmsSender,
} from './ports.ts';
import { CODE_TTL_SECONDS, MAX_ATTEMPTS } from './progress.ts';

/** What the submission carries besides the form when an agent files. */
export type AuthorisationInput = { method: 'letter'; letterId: string } | { method: 'code'; code: string };

const LIMITS = { askPerAgent: 20, askPerNumber: 3, windowSeconds: 3600 } as const;
export const LETTER_UPLOAD_SECONDS = 15 * 60;
export const LETTER_LINK_SECONDS = 5 * 60;
/** Object keys of letters: `authorisations/<agent's keyed hash>/<letter id>` (no personal data). */
const LETTER_PREFIX = 'authorisations';

export interface AuthorisationDeps {
  /** the cases, for the letter's view link */
  apps: Pick<ApplicationRepository, 'get'>;
  codes: ProgressCodeStore;
  /** absent where no SMS channel is configured: confirmation by code is then unavailable */
  sms?: SmsSender | undefined;
  files?: DocumentStorage | undefined;
  limits?: RateCounter | undefined;
  clock: Clock;
  ids: Ids;
  /** a keyed hash (the field cipher's blind index) */
  hash: (value: string) => string;
  /** the case history, for the audit event of each view of a letter */
  appendEvent?: ((event: PendingEvent) => Promise<void>) | undefined;
  requireEncryption?: boolean | undefined;
  onSendFailure?: (err: unknown) => void;
}

const field = (path: string, message: I18nText) => new ValidationError([{ path, code: 'custom', message }]);

export class AgentAuthorisation {
  constructor(private readonly d: AuthorisationDeps) {}

  private agentKey = (sub: string) => this.d.hash(`agent:${sub}`);
  private codeFor = (sub: string, mobile: string): CodeFor => ({
    purpose: 'agent',
    agent: this.agentKey(sub),
    number: this.d.hash(`mobile:${mobile}`),
  });
  private codeHash = (sub: string, mobile: string, code: string) =>
    this.d.hash(`agent-code:${sub}:${mobile}:${code}`);

  private async limit(scope: string, subject: string, limit: number) {
    if (this.d.limits)
      await limitHit(this.d.limits, this.d.clock, LIMITS.windowSeconds, scope, this.d.hash(subject), limit);
  }

  /** Texts the guardian a code that confirms this agent may file for the family. */
  async requestCode(actor: Actor, mobile: string): Promise<void> {
    if (actor.role !== 'agent') throw new ForbiddenError();
    if (!this.d.sms) {
      throw new BadRequestError(
        'SMS_UNAVAILABLE',
        t(
          '短信通道未开通，请上传委托书',
          'Text messages are not available here; upload the letter of authorisation',
        ),
      );
    }
    await this.limit('agent-ask-account', `sub:${actor.sub}`, LIMITS.askPerAgent);
    await this.limit('agent-ask-number', `mobile:${mobile}`, LIMITS.askPerNumber);
    const code = newCode();
    await this.d.codes.put(
      this.codeFor(actor.sub, mobile),
      this.codeHash(actor.sub, mobile, code),
      new Date(this.d.clock.now().getTime() + CODE_TTL_SECONDS * 1000),
    );
    const who = actor.name ? `${actor.name}` : '代办人';
    try {
      await this.d.sms.send(
        mobile,
        `【乐清Onestop】${who}申请代您办理政务服务，验证码：${code}，${CODE_TTL_SECONDS / 60}分钟内有效。同意委托请将验证码告知代办人；如不同意，请勿告知。`,
        { kind: 'code', code, minutes: CODE_TTL_SECONDS / 60 },
      );
    } catch (err) {
      this.d.onSendFailure?.(err);
    }
  }

  /** A presigned upload for a 委托书, before the submission that cites it. */
  async requestLetterUpload(
    actor: Actor,
    input: { contentType: DocumentType; size: number },
  ): Promise<{ letterId: string; upload: UploadTicket }> {
    if (actor.role !== 'agent') throw new ForbiddenError();
    if (!this.d.files) throw new Error('No document storage wired for letters of authorisation');
    if (input.size > MAX_DOCUMENT_BYTES) throw tooLarge();
    const letterId = this.d.ids.newId();
    const upload = await this.d.files.presignUpload({
      key: this.letterKey(actor.sub, letterId),
      contentType: input.contentType,
      size: input.size,
      expiresInSeconds: LETTER_UPLOAD_SECONDS,
    });
    return { letterId, upload };
  }

  private letterKey = (sub: string, letterId: string) => `${LETTER_PREFIX}/${this.agentKey(sub)}/${letterId}`;

  /**
   * Checks the agent's authorisation for a submission and answers what the case records; a
   * family's submission must carry none. Field errors name `authorisation.*`.
   */
  async verify(
    actor: Actor,
    input: AuthorisationInput | undefined,
    contactPhone: string | undefined,
  ): Promise<FiledBy | undefined> {
    if (actor.role !== 'agent') {
      if (input) {
        throw field(
          'authorisation',
          t('只有代办人提交时需要委托', 'Only an agent filing for a family gives an authorisation'),
        );
      }
      return undefined;
    }
    const base = { sub: actor.sub, org: actor.agency, name: actor.name };
    if (!input) {
      throw field(
        'authorisation',
        t(
          '代办须上传监护人签字的委托书，或由监护人提供短信验证码',
          "An agent needs the guardian's signed letter of authorisation or the code texted to the guardian",
        ),
      );
    }
    if (!contactPhone) {
      // the family claims a filed case with a code to the form's number: without one, never
      throw field(
        'authorisation',
        t(
          '该事项的申请表没有监护人手机号，家庭无法认领代办的申请，请由家庭自行申请',
          "This service's form has no guardian's mobile number, so the family could not claim the case; the family applies itself",
        ),
      );
    }
    if (input.method === 'code') {
      const key = this.codeFor(actor.sub, contactPhone);
      const stored = await this.d.codes.attempt(key, this.d.clock.now(), MAX_ATTEMPTS);
      if (!stored || !sameHash(stored, this.codeHash(actor.sub, contactPhone, input.code))) {
        const e = wrongCode();
        throw new ValidationError(e.fields.map((f) => ({ ...f, path: 'authorisation.code' })));
      }
      await this.d.codes.remove(key);
      return { ...base, method: 'code', confirmedAt: this.d.clock.now().toISOString() };
    }
    if (!this.d.files) throw new Error('No document storage wired for letters of authorisation');
    const key = this.letterKey(actor.sub, input.letterId);
    const stored = await this.d.files.inspect(key);
    if (!stored) {
      throw field(
        'authorisation.letterId',
        t('尚未收到委托书文件，请先上传', 'The letter of authorisation has not arrived; upload it first'),
      );
    }
    const declared = {
      contentType: (stored.contentType?.split(';')[0]?.trim().toLowerCase() ?? '') as DocumentType,
      size: stored.size,
    };
    const problem = uploadProblem(declared, stored, this.d.requireEncryption ?? true);
    if (problem) {
      await this.d.files.remove(key);
      throw field(
        'authorisation.letterId',
        problem === 'too-large'
          ? t('委托书文件过大（上限 10 MB），已删除', 'The letter is too large (limit 10 MB); it was deleted')
          : t(
              '委托书须为 PDF、JPEG 或 PNG 文件，已删除，请重新上传',
              'The letter must be a PDF, JPEG or PNG file; it was deleted, upload it again',
            ),
      );
    }
    return {
      ...base,
      method: 'letter',
      letter: { key, contentType: declared.contentType, size: stored.size },
    };
  }

  /**
   * A short-lived view link of the case's 委托书 for the family, the filing agent and the
   * caseworkers of the case's steps; the view is an event in the case history before the link.
   */
  async letterLink(actor: Actor, appId: string): Promise<{ url: string; expiresAt: string }> {
    const app = await this.d.apps.get(appId);
    if (!app || !canRead(getService(app.service), app, actor)) throw notFound();
    const mayView = isFamily(actor, app) || isFilingAgent(actor, app) || actor.role === 'caseworker';
    if (!mayView) {
      throw new ForbiddenError(t('无权查看委托书', 'You may not see the letter of authorisation'));
    }
    const letter = app.filedBy?.letter;
    if (!letter || !this.d.files) throw notFound();
    await this.d.appendEvent?.({
      eventId: this.d.ids.newId(),
      appId: app.id,
      service: app.service,
      type: 'authorisation-viewed',
      at: this.d.clock.now().toISOString(),
      actor: { sub: actor.sub, role: actor.role, agency: actor.agency },
      township: app.township,
      data: {},
    });
    const type = letter.contentType as DocumentType;
    return this.d.files.presignDownload({
      key: letter.key,
      contentType: letter.contentType,
      fileName: `authorisation-${app.id}.${EXTENSIONS[type] ?? 'bin'}`,
      expiresInSeconds: LETTER_LINK_SECONDS,
    });
  }
}

const notFound = () =>
  new NotFoundError(t('申请或委托书不存在', 'No such application or letter of authorisation'));
