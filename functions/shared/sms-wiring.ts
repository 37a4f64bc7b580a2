/** The text-message sender of this environment (the notifier, the progress lookup's codes). */
import { AliyunSms, aliyunSmsSettingsFromEnv } from '#adapters/sms/aliyun';
import { EndUserMessagingSms, endUserMessagingSettingsFromEnv } from '#adapters/sms/end-user-messaging';
import { SinkSms } from '#adapters/sms/sink';
import type { SmsSender } from '#core/ports';
import { optionalEnv } from './env.ts';

/**
 * SMS_TRANSPORT=aws (AWS End User Messaging SMS from SMS_ORIGINATION_ARN), aliyun (Alibaba Cloud
 * SMS's registered templates, the China stage: ALIYUN_SMS_*), sink (the local SMS
 * sink at SMS_SINK_URL) or off; unset: sink when SMS_SINK_URL is set, aws when
 * SMS_ORIGINATION_ARN is, else off (SMS deliveries are then recorded as skipped).
 */
export function smsFromEnv(): SmsSender | undefined {
  const sinkUrl = optionalEnv('SMS_SINK_URL');
  const transport =
    optionalEnv('SMS_TRANSPORT') ?? (sinkUrl ? 'sink' : optionalEnv('SMS_ORIGINATION_ARN') ? 'aws' : 'off');
  if (transport === 'off') return undefined;
  if (transport === 'sink') {
    if (!sinkUrl) throw new Error('SMS_TRANSPORT=sink needs SMS_SINK_URL');
    return new SinkSms(sinkUrl);
  }
  if (transport === 'aliyun') return new AliyunSms(aliyunSmsSettingsFromEnv());
  if (transport !== 'aws')
    throw new Error(`SMS_TRANSPORT must be aws, aliyun, sink or off (got "${transport}")`);
  return new EndUserMessagingSms(endUserMessagingSettingsFromEnv());
}
