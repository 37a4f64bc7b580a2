/**
 * Local SMS: posts each text to the SMS sink that `npm start` runs (local/sms-sink.ts,
 * SMS_SINK_URL). Nothing leaves the machine. A refused or unreachable sink is a
 * `ServiceUnavailable` failure, so the notifier retries as it would with the real service.
 */
import type { SmsSender } from '#core/ports';

export class SmsSinkUnavailableError extends Error {
  override readonly name = 'ServiceUnavailable';
}

export class SinkSms implements SmsSender {
  constructor(private readonly url: string) {}

  async send(to: string, text: string) {
    let res: Response;
    try {
      res = await fetch(new URL('/messages', this.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ to, text }),
        signal: AbortSignal.timeout(5_000),
      });
    } catch (err) {
      throw new SmsSinkUnavailableError('SMS sink unreachable', { cause: err });
    }
    const body = (await res.json().catch(() => ({}))) as { messageId?: string };
    if (!res.ok || !body.messageId) throw new SmsSinkUnavailableError(`SMS sink answered ${res.status}`);
    return { messageId: body.messageId };
  }
}
