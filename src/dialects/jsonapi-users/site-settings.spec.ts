import { Tenant } from '../../users/entities/tenant.entity';
import { canonicalStrength, DEFAULT_SITE_SETTINGS, minimumPasswordLength, siteSettings } from './site-settings';

const site = (settings: unknown) => ({ settings }) as Tenant;

describe('siteSettings', () => {
  it('reads what the CLI stored', () => {
    const stored = {
      name: 'Forum',
      registerMode: 'review',
      passwordLength: 8,
      passwordStrength: ['uppercase', 'digits'],
      inviteRequired: true,
      bannedWords: ['spam'],
      allowCommonPasswords: true,
      sms: true,
      registerType: 1,
      offiaccount: { appId: 'wx0123456789abcdef', secretSealed: 'v1.sealed' },
      miniprogram: null,
    };
    expect(siteSettings(site(stored))).toEqual({ ...stored, passwordStrength: ['digits', 'uppercase'] });
  });

  it('falls back to the default of each value broken by hand, keeping the others', () => {
    const broken = {
      name: '',
      registerMode: 'maybe',
      passwordLength: 51,
      passwordStrength: ['emoji'],
      inviteRequired: 'yes',
      bannedWords: [1, ''],
      allowCommonPasswords: 'yes',
      sms: 'on',
      registerType: '1',
      offiaccount: { appId: 'wx0123456789abcdef' },
      miniprogram: 'wx0123456789abcdef',
    };
    expect(siteSettings(site(broken))).toEqual(DEFAULT_SITE_SETTINGS);
    expect(siteSettings(site({ registerMode: 'closed', passwordLength: -1 }))).toEqual({
      ...DEFAULT_SITE_SETTINGS,
      registerMode: 'closed',
    });
    expect(siteSettings(site(null))).toEqual(DEFAULT_SITE_SETTINGS);
  });
});

describe('canonicalStrength', () => {
  it('orders rules as Discuz! Q numbers them and drops repeats', () => {
    expect(canonicalStrength(['uppercase', 'digits', 'uppercase', 'symbols'])).toEqual(['digits', 'symbols', 'uppercase']);
  });
});

describe('minimumPasswordLength', () => {
  it.each([
    [0, 6],
    [6, 6],
    [12, 12],
  ])('setting %i -> %i', (setting, minimum) => {
    expect(minimumPasswordLength({ ...DEFAULT_SITE_SETTINGS, passwordLength: setting })).toBe(minimum);
  });
});
