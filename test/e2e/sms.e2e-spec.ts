import { JSONAPI_USERS_TENANT_KIND } from '../../src/dialects/jsonapi-users/jsonapi-users.tenant-kind';
import { DomainErrorCode } from '../../src/error-codes/domain-error-code.enum';
import { MetricsService } from '../../src/metrics/metrics.service';
import { smsTransportFor } from '../../src/sms/sms.module';
import { SmsService } from '../../src/sms/sms.service';
import { CodePurpose, VerificationCode } from '../../src/users/entities/verification-code.entity';
import { TenantsService } from '../../src/users/tenants.service';
import { CodeTarget, SMS_CODE_TTL_SECONDS, VerificationCodesService } from '../../src/users/verification-codes.service';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { SmsGatewayStandIn, TencentcloudSmsStandIn } from '../utils/sms-stand-ins';

const MOBILE = '+8613800138000';

/**
 * SMS codes through each SMS_PROVIDER gateway, on the app's own database: a code the gateway refuses is withdrawn
 * (no usable code, a new one may be asked for at once) and the send fails with SMS_DELIVERY_FAILED.
 */
describe.each([
  ['http', () => new SmsGatewayStandIn()],
  ['tencentcloud', () => new TencentcloudSmsStandIn()],
] as const)('SMS codes through SMS_PROVIDER=%s', (provider, standIn) => {
  const gateway = standIn();
  let t: TestApp;
  let sms: SmsService;
  let target: CodeTarget;

  beforeAll(async () => {
    await gateway.start();
    t = await createTestApp(gateway.env());
    sms = new SmsService(await smsTransportFor(t.config.sms), t.app.get(MetricsService));
  });
  afterAll(async () => {
    await t.close();
    await gateway.stop();
  });
  beforeEach(async () => {
    await t.reset();
    const tenant = await t.app.get(TenantsService).create({ kind: JSONAPI_USERS_TENANT_KIND, code: 'sms', name: 'sms', settings: {} });
    target = { tenantId: tenant.id, purpose: CodePurpose.SmsLogin, mobile: MOBILE };
    accept();
  });

  const codes = () => t.app.get(VerificationCodesService);
  const send = () => codes().send(target, (code) => sms.sendCode({ to: MOBILE, code, minutes: SMS_CODE_TTL_SECONDS / 60 }));
  /** The code the gateway was last given for MOBILE. */
  const delivered = () => {
    if (gateway instanceof SmsGatewayStandIn) {
      return gateway.lastCode(MOBILE);
    }
    const last = gateway.requests[gateway.requests.length - 1];
    expect(last.params.PhoneNumberSet).toEqual([MOBILE]);
    return (last.params.TemplateParamSet as string[])[0];
  };
  const accept = () => {
    if (gateway instanceof SmsGatewayStandIn) {
      gateway.status = 200;
    } else {
      gateway.answer = 'ok';
    }
  };
  const refuse = () => {
    if (gateway instanceof SmsGatewayStandIn) {
      gateway.status = 503;
    } else {
      gateway.answer = { error: { Code: 'FailedOperation.InsufficientBalanceInSmsPackage', Message: 'insufficient balance' } };
    }
  };
  /** `unireg_sms_sends_total` by outcome, as /metrics shows it (0 before the first). */
  const sends = async () => {
    const lines = (await t.http().get('/metrics').expect(200)).text.split('\n');
    const count = (outcome: string) => {
      const series = `unireg_sms_sends_total{outcome="${outcome}"} `;
      return Number(lines.find((line) => line.startsWith(series))?.slice(series.length) ?? 0);
    };
    return { sent: count('sent'), failed: count('failed') };
  };

  it('delivers a code that can then be spent once', async () => {
    const before = await sends();
    await send();
    const code = delivered();
    expect(code).toMatch(/^\d{6}$/);
    await expect(codes().spend(target, code)).resolves.toBeUndefined();
    await expect(codes().spend(target, code)).rejects.toMatchObject({ code: DomainErrorCode.VERIFICATION_CODE_INVALID });
    expect(await sends()).toEqual({ sent: before.sent + 1, failed: before.failed });
  });

  it('withdraws a code the gateway refuses and fails with SMS_DELIVERY_FAILED', async () => {
    const before = await sends();
    refuse();
    await expect(send()).rejects.toMatchObject({ code: DomainErrorCode.SMS_DELIVERY_FAILED });
    const refused = delivered();
    expect(await t.dataSource.getRepository(VerificationCode).countBy({ recipient: MOBILE })).toBe(0);
    await expect(codes().spend(target, refused)).rejects.toMatchObject({ code: DomainErrorCode.VERIFICATION_CODE_INVALID });
    expect(await sends()).toEqual({ sent: before.sent, failed: before.failed + 1 });

    // Nothing was sent, so the resend interval does not apply: the next code goes out at once.
    accept();
    await send();
    await expect(codes().spend(target, delivered())).resolves.toBeUndefined();
  });
});
