import { maskMobile, normalizeMobile } from './phone';

describe('normalizeMobile', () => {
  it.each([
    ['13800138000', '+8613800138000'],
    ['19912345678', '+8619912345678'],
    ['+8613800138000', '+8613800138000'],
    ['+8614001234567', '+8614001234567'],
    ['+14155552671', '+14155552671'],
    ['+447911123456', '+447911123456'],
    ['+33612345678', '+33612345678'],
    ['14001234567', '+8614001234567'],
  ])('accepts %s as %s', (input, e164) => {
    expect(normalizeMobile(input)).toBe(e164);
  });

  it.each([
    ['12800138000', 'a mainland number must start 13-19'],
    ['1380013800', 'ten digits'],
    ['138 0013 8000', 'spaces'],
    ['+86 138 0013 8000', 'spaces after the plus'],
    ['008613800138000', 'an international prefix instead of +'],
    ['+1234', 'too short for E.164'],
    ['+8612345', 'not a valid Chinese number'],
    ['+1415555267100000', 'longer than E.164'],
    ['１３８００１３８０００', 'full-width digits'],
    ['+449098790000', 'a UK premium-rate number'],
    ['+19005550100', 'a US premium-rate number'],
    ['+18005550100', 'a US toll-free number'],
    ['+448434567890', 'a UK shared-cost number'],
    ['+445512345678', 'a UK UAN'],
    ['+861012345678', 'a Beijing landline'],
    ['+442079460000', 'a London landline'],
    ['', 'empty'],
  ])('refuses %s (%s)', (input) => {
    expect(normalizeMobile(input)).toBeNull();
  });
});

describe('maskMobile', () => {
  it('hides the middle of a mainland mobile as Discuz! Q does', () => {
    expect(maskMobile('+8613800138000')).toBe('138****8000');
  });

  it('hides at least half of a shorter national number', () => {
    const masked = maskMobile('+14155552671');
    expect(masked).toHaveLength(10);
    expect(masked.replace(/[^*]/g, '').length).toBeGreaterThanOrEqual(5);
  });
});
