import { loadConfig, SmsConfig } from '../config/app-config';
import { closedPort, TencentcloudSmsStandIn } from '../../test/utils/sms-stand-ins';
import { makeDataDir, removeDataDir } from '../../test/utils/create-test-app';
import { SmsMessage } from './sms-transport';
import { TencentcloudSmsTransport } from './tencentcloud-sms.transport';

const message: SmsMessage = {
  to: '+8613800138000',
  template: 'verify_code',
  params: { code: '246810', minutes: 5 },
  text: 'Your verification code is 246810. It expires in 5 minutes.',
};

describe('TencentcloudSmsTransport', () => {
  const dataDir = makeDataDir();
  let tencent: TencentcloudSmsStandIn;

  beforeEach(async () => {
    tencent = new TencentcloudSmsStandIn();
    await tencent.start();
  });
  afterEach(() => tencent.stop());
  afterAll(() => removeDataDir(dataDir));

  /** The settings as the service reads them from its environment. */
  const settings = (env: Record<string, string> = {}) =>
    loadConfig({ DATA_DIR: dataDir, JWT_SECRET: 'x'.repeat(16), ...tencent.env(), ...env }).sms as Extract<
      SmsConfig,
      { provider: 'tencentcloud' }
    >;
  const transport = (env?: Record<string, string>) => new TencentcloudSmsTransport(settings(env));
  const failure = (env?: Record<string, string>) =>
    transport(env)
      .send(message)
      .then(
        () => new Error('sent'),
        (error: unknown) => error as Error,
      );

  it("calls SendSms with the mobile, the application, the signature and the template's parameters, signed TC3-HMAC-SHA256", async () => {
    await expect(transport().send(message)).resolves.toBe(
      'accepted by Tencent Cloud (request c0ffee00-0000-4000-8000-000000000001, serial 5000:1)',
    );
    expect(tencent.requests).toHaveLength(1);
    const [request] = tencent.requests;
    expect(request.headers).toMatchObject({
      'x-tc-action': 'SendSms',
      'x-tc-version': '2021-01-11',
      'x-tc-region': 'ap-guangzhou',
      'content-type': 'application/json',
      authorization: expect.stringMatching(/^TC3-HMAC-SHA256 Credential=AKIDstandin0000000000\/\d{4}-\d{2}-\d{2}\/[^/]+\/tc3_request, /),
    });
    expect(request.params).toEqual({
      PhoneNumberSet: ['+8613800138000'],
      SmsSdkAppId: '1400006666',
      SignName: '统一注册',
      TemplateId: '1110',
      TemplateParamSet: ['246810', '5'],
    });
  });

  it('sends in the region TENCENTCLOUD_SMS_REGION names', async () => {
    await transport({ TENCENTCLOUD_SMS_REGION: 'ap-beijing' }).send(message);
    expect(tencent.requests[0].headers['x-tc-region']).toBe('ap-beijing');
  });

  it('is refused under a wrong secret key, so the stand-in does check the signature', async () => {
    const error = await failure({ TENCENTCLOUD_SECRET_KEY: 'another-secret-key-0000' });
    expect(error.message).toBe(
      'Tencent Cloud refused the SMS (AuthFailure.SignatureFailure: The provided credentials could not be validated., request c0ffee00-0000-4000-8000-000000000001)',
    );
    expect(tencent.requests).toHaveLength(0);
  });

  it("throws on Tencent's error answer, with its code and request id", async () => {
    tencent.answer = { error: { Code: 'FailedOperation.TemplateIncorrectOrUnapproved', Message: 'template is not approved' } };
    expect((await failure()).message).toBe(
      'Tencent Cloud refused the SMS (FailedOperation.TemplateIncorrectOrUnapproved: template is not approved, request c0ffee00-0000-4000-8000-000000000001)',
    );
  });

  it('throws when the send status is not Ok, without quoting the mobile', async () => {
    tencent.answer = { statusCode: 'LimitExceeded.PhoneNumberDailyLimit', statusMessage: 'daily limit reached for +8613800138000' };
    expect((await failure()).message).toBe(
      'Tencent Cloud refused the SMS (LimitExceeded.PhoneNumberDailyLimit: daily limit reached for ***, request c0ffee00-0000-4000-8000-000000000001)',
    );
  });

  it('throws on an HTTP error', async () => {
    tencent.answer = { http: 502 };
    expect((await failure()).message).toBe('Tencent Cloud answered HTTP 502');
  });

  it('throws when Tencent Cloud cannot be reached', async () => {
    const error = await failure({ TENCENTCLOUD_SMS_ENDPOINT: `http://127.0.0.1:${await closedPort()}` });
    expect(error.message).toMatch(/^Tencent Cloud's SendSms failed \(.*ECONNREFUSED/);
  });

  it('prints nothing and never quotes a secret or the code', async () => {
    const printed = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) => jest.spyOn(console, method).mockImplementation());
    try {
      tencent.answer = { error: { Code: 'InvalidParameterValue', Message: 'bad value' } };
      const refused = await failure();
      const unreachable = await failure({ TENCENTCLOUD_SMS_ENDPOINT: `http://127.0.0.1:${await closedPort()}` });
      for (const text of [refused.message, unreachable.message]) {
        expect(text).not.toContain(tencent.credentials.secretKey);
        expect(text).not.toContain(message.params.code);
      }
      printed.forEach((spy) => expect(spy).not.toHaveBeenCalled());
    } finally {
      printed.forEach((spy) => spy.mockRestore());
    }
  });
});
