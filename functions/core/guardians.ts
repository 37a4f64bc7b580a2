/**
 * Both guardians (issue 15, item 2): the other guardian named on a form (a father, a second
 * guardian) links the case to their own account with a one-time code texted to their number on
 * the form; from then on they see it and act on it (answer a request for information, withdraw,
 * rate) as the applicant does, and every action records who did it (the event's actor).
 *
 * The family of a case an agent filed for them (core/authorisation.ts) links it the same way,
 * with a code to the form's contact number.
 *
 * Asking for a code answers the same whether or not the number is on the case (no enumeration);
 * codes are hashed, short-lived, tried a few times and used once, as the progress lookup's; asking
 * and trying are limited per account and per number.
 */
import { getService } from './catalog.ts';
import type { Actor } from './engine/types.ts';
import { ForbiddenError } from './errors.ts';
import { limitHit, newCode, sameHash, wrongCode } from './one-time-code.ts';
import type { CodeFor } from './ports.ts';
import { CODE_TTL_SECONDS, MAX_ATTEMPTS, type OneTimeCodeDeps } from './progress.ts';

const LIMITS = { askPerAccount: 5, askPerNumber: 3, tryPerAccount: 10, windowSeconds: 3600 } as const;

export type GuardianDeps = OneTimeCodeDeps;

export class GuardianLinking {
  constructor(private readonly d: GuardianDeps) {}

  private limit = (scope: string, subject: string, limit: number) =>
    limitHit(this.d.limits, this.d.clock, LIMITS.windowSeconds, scope, this.d.hash(subject), limit);

  private codeFor = (appId: string, sub: string): CodeFor => ({
    purpose: 'link',
    appId,
    account: this.d.hash(`sub:${sub}`),
  });
  private codeHash = (appId: string, sub: string, mobile: string, code: string) =>
    this.d.hash(`link:${appId}:${sub}:${mobile}:${code}`);

  /** Texts a code when `mobile` is another guardian's number on the case; answers alike otherwise. */
  async requestCode(actor: Actor, appId: string, mobile: string): Promise<void> {
    if (actor.role !== 'parent') throw new ForbiddenError();
    await this.limit('link-ask-account', `sub:${actor.sub}`, LIMITS.askPerAccount);
    await this.limit('link-ask-number', `mobile:${mobile}`, LIMITS.askPerNumber);
    const app = await this.d.repo.get(appId);
    if (!app || !this.d.sms || app.applicant === actor.sub) return;
    const phones = getService(app.service).guardianPhones?.(app.form as never) ?? [];
    // a case an agent filed (代办) is claimed by the family through the form's contact number
    if (app.filedBy && app.contactPhone) phones.push(app.contactPhone);
    if (!phones.includes(mobile)) return;
    const code = newCode();
    const now = this.d.clock.now();
    await this.d.codes.put(
      this.codeFor(appId, actor.sub),
      this.codeHash(appId, actor.sub, mobile, code),
      new Date(now.getTime() + CODE_TTL_SECONDS * 1000),
    );
    try {
      await this.d.sms.send(
        mobile,
        `【乐清Onestop】关联家庭办件验证码：${code}，${CODE_TTL_SECONDS / 60}分钟内有效。如非本人操作，请忽略。`,
        { kind: 'code', code, minutes: CODE_TTL_SECONDS / 60 },
      );
    } catch (err) {
      this.d.onSendFailure?.(err);
    }
  }

  /** Links the case to the caller's account for the right code (a wrong or used code: 400). */
  async link(actor: Actor, appId: string, mobile: string, code: string): Promise<'linked' | 'already'> {
    if (actor.role !== 'parent') throw new ForbiddenError();
    await this.limit('link-try-account', `sub:${actor.sub}`, LIMITS.tryPerAccount);
    const key = this.codeFor(appId, actor.sub);
    const stored = await this.d.codes.attempt(key, this.d.clock.now(), MAX_ATTEMPTS);
    if (!stored || !sameHash(stored, this.codeHash(appId, actor.sub, mobile, code))) throw wrongCode();
    await this.d.codes.remove(key);
    if (!this.d.repo.linkGuardian) throw new Error('This store cannot link guardians');
    return this.d.repo.linkGuardian(appId, actor.sub, this.d.clock.now().toISOString());
  }
}
