/** The texts the `npm start` runtime's SMS sink received: its address, and a code sent to a number. */
import { listSentSms } from '../../../local/sms-sink.ts';
import type { Onestop } from './runtime.ts';

export function smsSinkUrl(runtime: Onestop): string {
  const url = /SMS sink listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(runtime.logs.join(''))?.[1];
  if (!url) throw new Error('the runtime did not print the SMS sink');
  return url;
}

/** The 6-digit code of the latest text to `phone` since `after` (ms) containing `marker`. */
export async function textedCode(
  runtime: Onestop,
  phone: string,
  after: number,
  marker: string,
): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const text = (await listSentSms(smsSinkUrl(runtime)))
      .filter((m) => m.to === phone && Date.parse(m.at) >= after && m.text.includes(marker))
      .at(-1)?.text;
    const code = text ? /验证码：(\d{6})/.exec(text)?.[1] : undefined;
    if (code) return code;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no code was texted to ${phone}`);
}
