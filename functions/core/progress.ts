/**
 * 办件进度查询: the progress of an application without signing in, with the application number
 * and a one-time code sent by SMS to the mobile number on the case.
 *
 * - Asking for a code answers the same whether or not the number and the application match
 *   (no enumeration); only a match stores a code and sends it.
 * - Codes are 6 digits, stored as a keyed hash of (application, number, code), live
 *   CODE_TTL_SECONDS, allow MAX_ATTEMPTS tries, and are used once.
 * - Rate limits per client IP and per number (counted under a keyed hash of the number: no
 *   number is stored in clear), for asking and for trying codes.
 * - The answer holds the service, the status and each step's status and due dates: no name, ID
 *   number, address, phone, outputs or reasons.
 */
import { getService } from './catalog.ts';
import type { Application, ApplicationStatus, StepStatus } from './engine/types.ts';
import type { I18nText } from './i18n.ts';
import { limitHit, newCode, sameHash, wrongCode } from './one-time-code.ts';
import type { ApplicationRepository, Clock, ProgressCodeStore, RateCounter, SmsSender } from './ports.ts';

export const CODE_TTL_SECONDS = 600;
export const MAX_ATTEMPTS = 5;
/** codes asked per number / per IP per hour; codes tried per number / per IP per hour */
export const LIMITS = {
  askPerNumber: 3,
  askPerIp: 10,
  tryPerNumber: 10,
  tryPerIp: 30,
  windowSeconds: 3600,
} as const;

export interface ProgressStep {
  step: string;
  title: I18nText;
  status: StepStatus;
  openedAt?: string | undefined;
  dueAt?: string | undefined;
  decidedAt?: string | undefined;
}

export interface ProgressView {
  applicationNumber: string;
  service: string;
  serviceTitle: I18nText;
  status: ApplicationStatus;
  submittedAt: string;
  dueAt?: string | undefined;
  completedAt?: string | undefined;
  steps: ProgressStep[];
}

/** What every use case of one-time codes by SMS needs (the progress lookup, guardian linking). */
export interface OneTimeCodeDeps {
  repo: ApplicationRepository;
  codes: ProgressCodeStore;
  sms: SmsSender | undefined;
  limits: RateCounter;
  clock: Clock;
  /** a keyed hash (the field cipher's blind index): nothing guessable is stored */
  hash: (value: string) => string;
  /** failures of the SMS send, which the answer must not reveal */
  onSendFailure?: (err: unknown) => void;
}

export type ProgressDeps = OneTimeCodeDeps;

export class ProgressLookup {
  constructor(private readonly deps: ProgressDeps) {}

  private limit = (scope: string, subject: string, limit: number) =>
    limitHit(this.deps.limits, this.deps.clock, LIMITS.windowSeconds, scope, subject, limit);

  /** Sends a code when the pair matches; the caller answers the same either way. */
  async requestCode(applicationNumber: string, mobile: string, ip: string): Promise<void> {
    await this.limit('progress-ask-ip', this.deps.hash(`ip:${ip}`), LIMITS.askPerIp);
    await this.limit('progress-ask-number', this.deps.hash(`mobile:${mobile}`), LIMITS.askPerNumber);
    const app = await this.deps.repo.get(applicationNumber);
    if (!app?.contactPhone || app.contactPhone !== mobile || !this.deps.sms) return;
    const code = newCode();
    const now = this.deps.clock.now();
    await this.deps.codes.put(
      { purpose: 'progress', appId: app.id },
      this.codeHash(app.id, mobile, code),
      new Date(now.getTime() + CODE_TTL_SECONDS * 1000),
    );
    try {
      await this.deps.sms.send(
        mobile,
        `【乐清Onestop】办件进度查询验证码：${code}，${CODE_TTL_SECONDS / 60}分钟内有效。如非本人操作，请忽略。`,
        { kind: 'code', code, minutes: CODE_TTL_SECONDS / 60 },
      );
    } catch (err) {
      this.deps.onSendFailure?.(err);
    }
  }

  /** The progress, for the right code; a wrong, expired or used-up code is refused alike. */
  async lookup(applicationNumber: string, mobile: string, code: string, ip: string): Promise<ProgressView> {
    await this.limit('progress-try-ip', this.deps.hash(`ip:${ip}`), LIMITS.tryPerIp);
    await this.limit('progress-try-number', this.deps.hash(`mobile:${mobile}`), LIMITS.tryPerNumber);
    const stored = await this.deps.codes.attempt(
      { purpose: 'progress', appId: applicationNumber },
      this.deps.clock.now(),
      MAX_ATTEMPTS,
    );
    if (!stored || !sameHash(stored, this.codeHash(applicationNumber, mobile, code))) throw wrongCode();
    await this.deps.codes.remove({ purpose: 'progress', appId: applicationNumber });
    const app = await this.deps.repo.get(applicationNumber);
    if (!app || app.contactPhone !== mobile) throw wrongCode();
    return progressView(app);
  }

  private codeHash(appId: string, mobile: string, code: string): string {
    return this.deps.hash(`progress:${appId}:${mobile}:${code}`);
  }
}

/** Status and dates only: nothing personal (no label: it may name the child). */
export function progressView(app: Application): ProgressView {
  const def = getService(app.service);
  return {
    applicationNumber: app.id,
    service: app.service,
    serviceTitle: def.title,
    status: app.status,
    submittedAt: app.createdAt,
    dueAt: app.dueAt,
    completedAt: app.completedAt,
    steps: def.order
      .filter((name) => def.steps[name]?.kind !== 'auto' && app.steps[name])
      .map((name) => {
        const s = app.steps[name]!;
        return {
          step: name,
          title: def.steps[name]!.title,
          status: s.status,
          openedAt: s.openedAt,
          dueAt: s.dueAt,
          decidedAt: s.decidedAt,
        };
      }),
  };
}
