import { sms } from 'tencentcloud-sdk-nodejs-sms';
import { SmsConfig } from '../config/app-config';
import { SmsMessage, SmsTransport } from './sms-transport';

type TencentcloudSettings = Extract<SmsConfig, { provider: 'tencentcloud' }>;

/** What Tencent's SDK throws: an API error has Tencent's `code`, an HTTP failure its `httpCode`, others (network, a bad answer) neither. */
interface TencentcloudError {
  message?: string;
  code?: string;
  httpCode?: number;
  requestId?: string;
}

/** Tencent's messages may quote the mobile; a run of digits that long is never part of a reason. */
const quotedNumbers = (text: string): string => text.replace(/\+?\d{7,}/g, '***');

/**
 * SMS_PROVIDER=tencentcloud: Tencent Cloud's SendSms (API 2021-01-11) through its own SDK, as Discuz! Q sent its
 * codes; the template is given the code and its lifetime in minutes, in that order.
 * https://cloud.tencent.com/document/api/382/55981
 */
export class TencentcloudSmsTransport implements SmsTransport {
  private readonly client: InstanceType<typeof sms.v20210111.Client>;

  constructor(private readonly settings: TencentcloudSettings) {
    const endpoint = new URL(settings.endpoint);
    // Plain credentials rather than the SDK's provider chain, whose failures it prints to the console.
    this.client = new sms.v20210111.Client({
      credential: { secretId: settings.secretId, secretKey: settings.secretKey },
      region: settings.region,
      profile: { httpProfile: { endpoint: endpoint.host, protocol: endpoint.protocol + '//', reqTimeout: 10 } },
    });
  }

  async send(message: SmsMessage): Promise<string> {
    const { SendStatusSet: statuses, RequestId: requestId } = await this.client
      .SendSms({
        PhoneNumberSet: [message.to],
        SmsSdkAppId: this.settings.sdkAppId,
        SignName: this.settings.signName,
        TemplateId: this.settings.templateId,
        TemplateParamSet: [message.params.code, String(message.params.minutes)],
      })
      .catch((error: TencentcloudError) => {
        throw new Error(this.failure(error), { cause: error });
      });
    const status = statuses?.[0];
    if (status?.Code !== 'Ok') {
      const reason = status ? `${status.Code}: ${quotedNumbers(status.Message ?? '')}` : 'no send status';
      throw new Error(`Tencent Cloud refused the SMS (${reason}, request ${requestId})`);
    }
    return `accepted by Tencent Cloud (request ${requestId}, serial ${status.SerialNo})`;
  }

  private failure(error: TencentcloudError): string {
    const message = quotedNumbers(error.message ?? '');
    if (error.code) {
      return `Tencent Cloud refused the SMS (${error.code}: ${message}, request ${error.requestId})`;
    }
    if (error.httpCode) {
      return `Tencent Cloud answered HTTP ${error.httpCode}`;
    }
    return `Tencent Cloud's SendSms failed (${message})`;
  }
}
