import { closedPort, SmsGatewayStandIn, TEST_SMS_SECRET } from '../../test/utils/sms-stand-ins';
import { HttpSmsTransport } from './http-sms.transport';
import { SmsMessage } from './sms-transport';

const message: SmsMessage = {
  to: '+8613800138000',
  template: 'verify_code',
  params: { code: '246810', minutes: 5 },
  text: 'Your verification code is 246810. It expires in 5 minutes.',
};

describe('HttpSmsTransport', () => {
  let gateway: SmsGatewayStandIn;

  beforeEach(async () => {
    gateway = new SmsGatewayStandIn();
    await gateway.start();
  });
  afterEach(() => gateway.stop());

  const transport = (url = gateway.url, timeoutMs?: number) => new HttpSmsTransport({ url, secret: TEST_SMS_SECRET }, timeoutMs);

  it('POSTs the message as JSON, signed so that standardwebhooks verifies it', async () => {
    await expect(transport().send(message)).resolves.toBe(`accepted by SMS_URL ${gateway.url} (HTTP 200)`);
    expect(gateway.unsigned).toBe(0);
    expect(gateway.received).toHaveLength(1);
    const [received] = gateway.received;
    expect(received.message).toEqual(message);
    expect(JSON.parse(received.body)).toEqual(message);
    expect(received.headers).toMatchObject({
      'content-type': 'application/json',
      'webhook-id': expect.stringMatching(/^msg_[0-9a-f-]{36}$/),
      'webhook-timestamp': expect.stringMatching(/^\d{10}$/),
      'webhook-signature': expect.stringMatching(/^v1,[A-Za-z0-9+/]{43}=$/),
    });
    expect(Math.abs(Number(received.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
  });

  it('gives every message an id of its own', async () => {
    await transport().send(message);
    await transport().send(message);
    const [first, second] = gateway.received.map((received) => received.headers['webhook-id']);
    expect(first).not.toBe(second);
  });

  it('is refused by a gateway holding another secret', async () => {
    const stranger = new HttpSmsTransport({ url: gateway.url, secret: `whsec_${Buffer.alloc(32, 9).toString('base64')}` });
    await expect(stranger.send(message)).rejects.toThrow(`SMS_URL ${gateway.url} answered HTTP 401`);
    expect(gateway.unsigned).toBe(1);
    expect(gateway.received).toHaveLength(0);
  });

  it.each([201, 202, 204, 299])('counts HTTP %i as sent', async (status) => {
    gateway.status = status;
    await expect(transport().send(message)).resolves.toBe(`accepted by SMS_URL ${gateway.url} (HTTP ${status})`);
  });

  it.each([400, 429, 500, 503])('throws on HTTP %i', async (status) => {
    gateway.status = status;
    await expect(transport().send(message)).rejects.toThrow(`SMS_URL ${gateway.url} answered HTTP ${status}`);
  });

  it('follows no redirect: a 3xx is a refusal', async () => {
    gateway.status = 307;
    gateway.answerHeaders = { location: gateway.url };
    await expect(transport().send(message)).rejects.toThrow('answered HTTP 307');
    expect(gateway.received).toHaveLength(1);
  });

  it('throws when the gateway does not answer in time', async () => {
    gateway.hang = true;
    await expect(transport(gateway.url, 200).send(message)).rejects.toThrow(`SMS_URL ${gateway.url} did not answer within 0.2 s`);
    expect(gateway.received).toHaveLength(1);
  });

  it('throws when the gateway refuses the connection', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/sms`;
    await expect(transport(url).send(message)).rejects.toThrow(`SMS_URL ${url} could not be reached (ECONNREFUSED)`);
  });

  it('names the gateway with its query masked, and never quotes the code', async () => {
    gateway.status = 500;
    const error = (await transport(`${gateway.url}?token=gateway-token-42`)
      .send(message)
      .catch((caught: unknown) => caught)) as Error;
    expect(error.message).toBe(`SMS_URL ${gateway.url}?*** answered HTTP 500`);
    expect(error.message).not.toContain(message.params.code);
  });
});
