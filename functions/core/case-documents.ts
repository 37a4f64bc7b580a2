/**
 * Documents attached to a case, for any service module that asks for them: the family requests a
 * presigned upload of a declared kind, type and size, the file goes straight to storage, the
 * upload is checked (size, type, magic bytes, encryption) and refused files deleted; the family
 * and the caseworkers who may read the case list them and get short-lived view links, every view
 * an event in the case history (the audit). A module declares its kinds and its object prefix;
 * the records live in the case's partition (adapters/dynamodb/case-document-store.ts).
 */
import { getService } from './catalog.ts';
import {
  type DocumentStorage,
  type DocumentType,
  EXTENSIONS,
  MAX_DOCUMENT_BYTES,
  type UploadProblem,
  type UploadTicket,
  uploadProblem,
} from './documents.ts';
import { canRead, isFamily } from './engine/access.ts';
import { type Actor, type Application, type PendingEvent, TERMINAL } from './engine/types.ts';
import {
  BadRequestError,
  ForbiddenError,
  InvalidStateError,
  NotFoundError,
  PayloadTooLargeError,
  StateConflictError,
} from './errors.ts';
import { type I18nText, t } from './i18n.ts';
import type { ApplicationRepository, Clock, Ids } from './ports.ts';

export interface CaseDocument {
  documentId: string;
  appId: string;
  kind: string;
  contentType: DocumentType;
  size: number;
  /** `purged`: a module's retention deleted the file after the case closed (the record stays) */
  status: 'awaiting-upload' | 'uploaded' | 'refused' | 'purged';
  /** `<prefix>/<appId>/<documentId>`: no names, no ID numbers */
  objectKey: string;
  createdAt: string;
  createdBy: string;
  uploadExpiresAt?: string | undefined;
  uploadedAt?: string | undefined;
  refusedReason?: UploadProblem | undefined;
  purgedAt?: string | undefined;
}

/** The case holds the most documents it may (refused ones do not count). */
export class TooManyDocumentsError extends StateConflictError {
  constructor(max: number) {
    super(
      'TOO_MANY_DOCUMENTS',
      t(`每份申请最多上传 ${max} 份材料`, `At most ${max} documents per application`),
    );
  }
}

/** The records' store: each write joins the case history with its event, in one transaction. */
export interface CaseDocumentStore {
  /** fails with a 409 when the case already holds `max` documents (refused ones do not count) */
  create(doc: CaseDocument, event: PendingEvent, max: number): Promise<void>;
  finish(doc: CaseDocument, event: PendingEvent): Promise<void>;
  list(appId: string): Promise<CaseDocument[]>;
  get(appId: string, documentId: string): Promise<CaseDocument | null>;
  appendEvent(event: PendingEvent): Promise<void>;
}

/** What a module declares: the service, the kinds it asks for, where its objects live. */
export interface DocumentsSpec {
  service: string;
  kinds: readonly string[];
  /** object keys are `<prefix>/<appId>/<documentId>`: no personal data */
  prefix: string;
  max?: number;
}

export const UPLOAD_URL_SECONDS = 15 * 60;
export const DEFAULT_VIEW_LINK_SECONDS = 5 * 60;
const DEFAULT_MAX = 20;

export class CaseDocuments {
  constructor(
    private readonly d: {
      spec: DocumentsSpec;
      apps: ApplicationRepository;
      store: CaseDocumentStore;
      files: DocumentStorage;
      clock: Clock;
      ids: Ids;
      viewLinkSeconds?: number;
      requireEncryption?: boolean;
    },
  ) {}

  async requestUpload(
    actor: Actor,
    appId: string,
    input: { kind: string; contentType: DocumentType; size: number },
  ): Promise<{ document: CaseDocument; upload: UploadTicket }> {
    const app = await this.load(actor, appId);
    if (!isFamily(actor, app)) throw onlyFamily();
    if (TERMINAL.has(app.status)) {
      throw new InvalidStateError(
        t('申请已办结，不能再上传材料', 'The application is closed to new documents'),
      );
    }
    if (!this.d.spec.kinds.includes(input.kind)) {
      throw new BadRequestError('UNKNOWN_KIND', t('未知的材料类别', 'Unknown kind of document'));
    }
    if (input.size > MAX_DOCUMENT_BYTES) throw tooLarge();
    const documentId = this.d.ids.newId();
    const key = `${this.d.spec.prefix}/${appId}/${documentId}`;
    const upload = await this.d.files.presignUpload({
      key,
      contentType: input.contentType,
      size: input.size,
      expiresInSeconds: UPLOAD_URL_SECONDS,
    });
    const document: CaseDocument = {
      documentId,
      appId,
      kind: input.kind,
      contentType: input.contentType,
      size: input.size,
      status: 'awaiting-upload',
      objectKey: key,
      createdAt: this.d.clock.now().toISOString(),
      createdBy: actor.sub,
      uploadExpiresAt: upload.expiresAt,
    };
    await this.d.store.create(
      document,
      this.event(app, 'document-requested', actor, { documentId, kind: input.kind }),
      this.d.spec.max ?? DEFAULT_MAX,
    );
    return { document, upload };
  }

  async completeUpload(actor: Actor, appId: string, documentId: string): Promise<CaseDocument> {
    const app = await this.load(actor, appId);
    if (!isFamily(actor, app)) throw onlyFamily();
    const doc = await this.d.store.get(appId, documentId);
    if (!doc) throw notFound();
    if (doc.status !== 'awaiting-upload') {
      throw new InvalidStateError(t('该材料已处理', 'This document has been processed already'));
    }
    const stored = await this.d.files.inspect(doc.objectKey);
    if (!stored) {
      throw new StateConflictError(
        'DOCUMENT_NOT_UPLOADED',
        t('尚未收到文件，请先上传', 'Nothing has been uploaded yet; upload the file first'),
      );
    }
    const problem = uploadProblem(doc, stored, this.d.requireEncryption ?? true);
    const at = this.d.clock.now().toISOString();
    if (problem) {
      await this.d.files.remove(doc.objectKey);
      await this.d.store.finish(
        { ...doc, status: 'refused', refusedReason: problem, uploadedAt: at },
        this.event(app, 'document-refused', actor, { documentId, kind: doc.kind, reason: problem }),
      );
      throw refusal(problem);
    }
    const uploaded: CaseDocument = { ...doc, status: 'uploaded', uploadedAt: at };
    await this.d.store.finish(
      uploaded,
      this.event(app, 'document-uploaded', actor, { documentId, kind: doc.kind, size: doc.size }),
    );
    return uploaded;
  }

  async list(actor: Actor, appId: string): Promise<CaseDocument[]> {
    await this.readable(actor, appId);
    return this.d.store.list(appId);
  }

  /** A short-lived view link; the view is recorded in the case history before the link is given. */
  async link(
    actor: Actor,
    appId: string,
    documentId: string,
  ): Promise<{ documentId: string; url: string; expiresAt: string }> {
    const app = await this.readable(actor, appId);
    const doc = await this.d.store.get(appId, documentId);
    if (!doc) throw notFound();
    if (doc.status !== 'uploaded') {
      throw new InvalidStateError(t('该材料没有可查看的文件', 'This document has no file to view'));
    }
    await this.d.store.appendEvent(this.event(app, 'document-viewed', actor, { documentId, kind: doc.kind }));
    const link = await this.d.files.presignDownload({
      key: doc.objectKey,
      contentType: doc.contentType,
      fileName: `${doc.kind}-${doc.documentId}.${EXTENSIONS[doc.contentType]}`,
      expiresInSeconds: this.d.viewLinkSeconds ?? DEFAULT_VIEW_LINK_SECONDS,
    });
    return { documentId, ...link };
  }

  /** The case, if it is this module's and the actor may read it (else 404: ids cannot be probed). */
  private async load(actor: Actor, appId: string): Promise<Application> {
    const app = await this.d.apps.get(appId);
    if (!app || app.service !== this.d.spec.service) throw notFound();
    if (!canRead(getService(app.service), app, actor)) throw notFound();
    return app;
  }

  /** The family and the caseworkers of the case's steps (least access: auditors see aggregates). */
  private async readable(actor: Actor, appId: string): Promise<Application> {
    if (actor.role !== 'parent' && actor.role !== 'caseworker') {
      throw new ForbiddenError(t('无权查看申请材料', 'You may not see application documents'));
    }
    return this.load(actor, appId);
  }

  private event(app: Application, type: string, actor: Actor, data: Record<string, unknown>): PendingEvent {
    return {
      eventId: this.d.ids.newId(),
      appId: app.id,
      service: app.service,
      type,
      at: this.d.clock.now().toISOString(),
      actor: { sub: actor.sub, role: actor.role, agency: actor.agency },
      township: app.township,
      data,
    };
  }
}

const notFound = () => new NotFoundError(t('材料或申请不存在', 'No such document or application'));
/** staff who may read the case (and an agent who filed it) see it exists; only the family uploads */
const onlyFamily = () =>
  new ForbiddenError(t('只有申请人家庭可以上传材料', 'Only the family uploads documents'));

export function tooLarge() {
  return new PayloadTooLargeError(
    t(
      `文件过大（上限 ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB）`,
      `The file is too large (limit ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB)`,
    ),
  );
}

function refusal(problem: UploadProblem) {
  if (problem === 'too-large') return tooLarge();
  const text: Record<Exclude<UploadProblem, 'too-large'>, I18nText> = {
    missing: t('未收到文件', 'No file arrived'),
    'size-mismatch': t(
      '文件大小与申报不符，已删除',
      'The file size differs from what was declared; it was deleted',
    ),
    'type-mismatch': t(
      '文件类型不符（只接受 PDF、JPEG、PNG），已删除',
      'The file is not the declared type (PDF, JPEG or PNG only); it was deleted',
    ),
    'not-encrypted': t('文件未加密存储，已删除', 'The file was not stored encrypted; it was deleted'),
  };
  return new BadRequestError('DOCUMENT_REFUSED', text[problem]);
}
