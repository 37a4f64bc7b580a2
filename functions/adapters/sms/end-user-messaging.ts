/**
 * Sends text messages through AWS End User Messaging SMS (pinpoint-sms-voice-v2 SendTextMessage)
 * from the ONE configured origination identity (a sender ID or number ARN, SMS_ORIGINATION_ARN),
 * with its configuration set (SMS_CONFIGURATION_SET: event destinations, spend metrics).
 * TRANSACTIONAL, with a max price per part as a second spend guard. The number and text are
 * never logged; errors are rethrown as they are (the notifier keeps only their names).
 */
import {
  PinpointSMSVoiceV2Client,
  type PinpointSMSVoiceV2ClientConfig,
  SendTextMessageCommand,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import type { SmsSender } from '#core/ports';
import { optionalEnv } from '#shared/env';
import { sdkHttpTimeouts } from '../dependency-failure.ts';

export interface EndUserMessagingSettings {
  originationIdentity: string;
  configurationSet?: string | undefined;
  /** USD per message part, as SendTextMessage's MaxPrice */
  maxPrice?: string | undefined;
}

export function endUserMessagingSettingsFromEnv(): EndUserMessagingSettings {
  const originationIdentity = optionalEnv('SMS_ORIGINATION_ARN');
  if (!originationIdentity) throw new Error('SMS_ORIGINATION_ARN is required for SMS_TRANSPORT=aws');
  return {
    originationIdentity,
    configurationSet: optionalEnv('SMS_CONFIGURATION_SET'),
    maxPrice: optionalEnv('SMS_MAX_PRICE'),
  };
}

/** A mainland number as on the form (1xxxxxxxxxx) in E.164. */
export const e164 = (mobile: string) => (mobile.startsWith('+') ? mobile : `+86${mobile}`);

export class EndUserMessagingSms implements SmsSender {
  private readonly client: PinpointSMSVoiceV2Client;

  constructor(
    private readonly settings: EndUserMessagingSettings,
    config: PinpointSMSVoiceV2ClientConfig = {
      region: optionalEnv('AWS_REGION', 'ap-east-1'),
      requestHandler: sdkHttpTimeouts(),
    },
  ) {
    this.client = new PinpointSMSVoiceV2Client(config);
  }

  async send(to: string, text: string) {
    const { originationIdentity, configurationSet, maxPrice } = this.settings;
    const res = await this.client.send(
      new SendTextMessageCommand({
        DestinationPhoneNumber: e164(to),
        OriginationIdentity: originationIdentity,
        MessageBody: text,
        MessageType: 'TRANSACTIONAL',
        ...(configurationSet ? { ConfigurationSetName: configurationSet } : {}),
        ...(maxPrice ? { MaxPrice: maxPrice } : {}),
      }),
    );
    return { messageId: res.MessageId ?? '' };
  }
}
