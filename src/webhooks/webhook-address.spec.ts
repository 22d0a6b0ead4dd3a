import { assertPublicHost, parseWebhookUrl, refusedRange, WebhookUrlError } from './webhook-address';

describe('webhook URLs', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['192.0.2.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'uniqueLocal'],
    ['fe80::1', 'linkLocal'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['2002:7f00:1::', '6to4'],
    ['2001::1', 'teredo'],
    ['64:ff9b::7f00:1', 'rfc6052'],
    ['::7f00:1', 'ipv4Compatible'],
    ['::a9fe:a9fe', 'ipv4Compatible'],
    ['::8.8.8.8', 'ipv4Compatible'],
    ['::127.0.0.1', 'ipv4Compatible'],
  ])('refuses %s (%s)', (address, range) => {
    expect(refusedRange(address)).toBe(range);
  });

  it.each(['8.8.8.8', '93.184.215.14', '2606:4700::1111', '::ffff:8.8.8.8'])('takes the public address %s', (address) => {
    expect(refusedRange(address)).toBeUndefined();
  });

  it.each([
    ['not a url', /is not a valid URL/],
    ['ftp://example.com/hook', /must be http:\/\/ or https:\/\//],
    ['https://user:pw@example.com/hook', /must not carry credentials/],
    [`https://example.com/${'a'.repeat(2048)}`, /at most 2048 characters/],
  ])('refuses the URL %s', (url, reason) => {
    expect(() => parseWebhookUrl(url)).toThrow(WebhookUrlError);
    expect(() => parseWebhookUrl(url)).toThrow(reason);
  });

  it.each([
    ['http://127.0.0.1:8080/hook', /^127\.0\.0\.1 is a loopback address; set WEBHOOK_ALLOW_PRIVATE=true/],
    ['http://10.0.0.5/hook', /^10\.0\.0\.5 is a private address/],
    ['http://169.254.169.254/latest/meta-data', /^169\.254\.169\.254 is a linkLocal address/],
    ['http://[::1]/hook', /^::1 is a loopback address/],
    ['http://[::ffff:127.0.0.1]/hook', /is a loopback address/],
    ['http://[::127.0.0.1]/hook', /^::7f00:1 is a ipv4Compatible address/],
    ['http://[::169.254.169.254]/latest/meta-data', /^::a9fe:a9fe is a ipv4Compatible address/],
    ['http://2130706433/hook', /^127\.0\.0\.1 is a loopback address/],
    ['http://localhost:8080/hook', /^localhost resolves to (127\.0\.0\.1|::1), which is a loopback address/],
  ])('refuses %s, which is or resolves to a private address', async (url, reason) => {
    await expect(assertPublicHost(parseWebhookUrl(url))).rejects.toThrow(reason);
  });

  it('takes a public address', async () => {
    await expect(assertPublicHost(parseWebhookUrl('https://93.184.215.14/hook'))).resolves.toBeUndefined();
  });
});
