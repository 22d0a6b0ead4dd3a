import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { makeDataDir, removeDataDir } from '../../test/utils/create-test-app';
import { TEST_SMS_SECRET } from '../../test/utils/sms-stand-ins';
import { loadConfig } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { MetricsService } from '../metrics/metrics.service';
import { HttpSmsTransport } from './http-sms.transport';
import { OutboxSmsTransport } from './outbox-sms.transport';
import { SMS_TRANSPORT, SmsMessage, SmsTransport } from './sms-transport';
import { SmsModule } from './sms.module';
import { SmsService } from './sms.service';
import { TencentcloudSmsTransport } from './tencentcloud-sms.transport';

const code = { to: '+8613800138000', code: '246810', minutes: 5 };

describe('SmsService', () => {
  const dirs: string[] = [];
  const metrics = { smsSent: jest.fn() };
  let logged: jest.SpyInstance;
  let warned: jest.SpyInstance;

  beforeEach(() => {
    metrics.smsSent.mockReset();
    logged = jest.spyOn(Logger.prototype, 'log').mockImplementation();
    warned = jest.spyOn(Logger.prototype, 'warn').mockImplementation();
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => dirs.forEach(removeDataDir));

  /** SmsModule as the app mounts it, for `env`, with the metrics stubbed. */
  const mounted = async (env: Record<string, string> = {}) => {
    dirs.push(makeDataDir());
    const config = loadConfig({ DATA_DIR: dirs[dirs.length - 1], JWT_SECRET: 'x'.repeat(16), ...env });
    const moduleRef = await Test.createTestingModule({ imports: [ConfigModule.forRoot(config), SmsModule] })
      .overrideProvider(MetricsService)
      .useValue(metrics)
      .compile();
    return { moduleRef, config };
  };
  const withTransport = (send: SmsTransport['send']) => new SmsService({ send }, metrics as unknown as MetricsService);

  it('hands the transport the message: template, parameters and the text with the code', async () => {
    const send = jest.fn<Promise<string>, [SmsMessage]>().mockResolvedValue('accepted');
    await withTransport(send).sendCode(code);
    expect(send).toHaveBeenCalledWith({
      to: '+8613800138000',
      template: 'verify_code',
      params: { code: '246810', minutes: 5 },
      text: 'Your verification code is 246810. It expires in 5 minutes. 验证码 246810，5 分钟内有效。',
    });
  });

  it('logs one line with the mobile masked and counts the send', async () => {
    await withTransport(() => Promise.resolve('accepted by the gateway')).sendCode(code);
    expect(logged.mock.calls).toEqual([['SMS code to 138****8000 accepted by the gateway']]);
    expect(metrics.smsSent.mock.calls).toEqual([['sent']]);
  });

  it("rethrows the transport's refusal, logs a warning without the code and counts the failure", async () => {
    const refusal = new Error('SMS_URL http://127.0.0.1:9/sms answered HTTP 500');
    await expect(withTransport(() => Promise.reject(refusal)).sendCode(code)).rejects.toBe(refusal);
    expect(warned.mock.calls).toEqual([['SMS code to 138****8000 not sent: SMS_URL http://127.0.0.1:9/sms answered HTTP 500']]);
    expect(logged).not.toHaveBeenCalled();
    expect(metrics.smsSent.mock.calls).toEqual([['failed']]);
    expect(JSON.stringify(warned.mock.calls)).not.toContain(code.code);
  });

  describe('SmsModule', () => {
    it('writes the outbox by default: one JSON file per message, readable by its owner only', async () => {
      const { moduleRef, config } = await mounted();
      expect(moduleRef.get(SMS_TRANSPORT)).toBeInstanceOf(OutboxSmsTransport);
      await moduleRef.get(SmsService).sendCode(code);
      const outbox = join(config.server.dataDir, 'outbox', 'sms');
      const files = readdirSync(outbox);
      expect(files).toEqual([expect.stringMatching(/^\d{4}-\d{2}-\d{2}T[\d-]+Z-[0-9a-f]{8}\.json$/)]);
      expect(JSON.parse(readFileSync(join(outbox, files[0]), 'utf8'))).toEqual({
        to: '+8613800138000',
        template: 'verify_code',
        params: { code: '246810', minutes: 5 },
        text: 'Your verification code is 246810. It expires in 5 minutes. 验证码 246810，5 分钟内有效。',
      });
      expect(statSync(join(outbox, files[0])).mode & 0o777).toBe(0o600);
      // Nest logs the module's start through the same Logger.
      const smsLines = logged.mock.calls.filter(([line]) => String(line).startsWith('SMS'));
      expect(smsLines).toEqual([[`SMS code to 138****8000 written to ${join(outbox, files[0])}`]]);
    });

    it('sends through SMS_URL with SMS_PROVIDER=http', async () => {
      const { moduleRef } = await mounted({ SMS_PROVIDER: 'http', SMS_URL: 'http://127.0.0.1:9/sms', SMS_SECRET: TEST_SMS_SECRET });
      expect(moduleRef.get(SMS_TRANSPORT)).toBeInstanceOf(HttpSmsTransport);
    });

    it("sends through Tencent's SDK with SMS_PROVIDER=tencentcloud", async () => {
      const { moduleRef } = await mounted({
        SMS_PROVIDER: 'tencentcloud',
        TENCENTCLOUD_SECRET_ID: 'AKIDexample0000000000',
        TENCENTCLOUD_SECRET_KEY: 'example-secret-key-0000',
        TENCENTCLOUD_SMS_SDK_APP_ID: '1400006666',
        TENCENTCLOUD_SMS_SIGN: '统一注册',
        TENCENTCLOUD_SMS_TEMPLATE_ID: '1110',
      });
      expect(moduleRef.get(SMS_TRANSPORT)).toBeInstanceOf(TencentcloudSmsTransport);
    });
  });
});
