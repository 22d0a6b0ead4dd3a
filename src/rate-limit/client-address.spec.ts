import type { Request } from 'express';
import { clientAddressOf, clientOf, countRequestAs, groupAddress } from './client-address';

describe('client addresses', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:DB8:1:2::1', '2001:db8:1:2::/64'],
    ['fe80::1%eth0', 'fe80::/64'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['::1', '::1'],
  ])('counts %j as %j', (ip, client) => {
    expect(groupAddress(ip)).toBe(client);
  });

  it('puts every address of one IPv6 /64 in one client, and the next /64 in another', () => {
    const request = (ip: string) => ({ ip }) as Request;
    expect(clientOf(request('2001:db8::1'))).toBe(clientOf(request('2001:db8::ffff:ffff:ffff:ffff')));
    expect(clientOf(request('2001:db8::1'))).not.toBe(clientOf(request('2001:db8:0:1::1')));
  });

  it('takes the client a guard named over the address', () => {
    const request = { ip: '198.51.100.1' } as Request;
    countRequestAs(request, 'app:7');
    expect(clientOf(request)).toBe('app:7');
    expect(clientOf({ ip: '198.51.100.1' } as Request)).toBe('ip:198.51.100.1');
  });

  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2:aaaa:bbbb:cccc:dddd'],
    ['::ffff:2001:db8::1', '::ffff:2001:db8::1'],
    ['', undefined],
  ])('records %j as the address %j, ungrouped', (ip, address) => {
    expect(clientAddressOf({ ip } as Request)).toBe(address);
  });
});
