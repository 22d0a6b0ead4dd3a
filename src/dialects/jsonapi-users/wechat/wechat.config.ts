import { IsOptional, IsString } from 'class-validator';
import { ConfigError, maskUrl } from '../../../config/app-config';
import { configSection } from '../../../config/config-section';

/** The environment variables only the WeChat sign-in reads. */
class WechatVariables {
  @IsOptional()
  @IsString()
  WECHAT_API_URL: string = 'https://api.weixin.qq.com';

  @IsOptional()
  @IsString()
  WECHAT_OPEN_URL: string = 'https://open.weixin.qq.com';
}

export interface WechatConfig {
  /** Where `sns/oauth2/access_token`, `sns/userinfo` and `sns/jscode2session` are asked; no trailing slash. */
  apiUrl: string;
  /** Where browsers are sent to authorize (`connect/oauth2/authorize`); no trailing slash. */
  openUrl: string;
}

export const WECHAT_CONFIG = Symbol('WECHAT_CONFIG');

/**
 * A base URL the app secret is sent to: http(s) only (a proxy or a stand-in may be plain http), and nothing
 * that would change where or how it goes (credentials, a query, a fragment).
 */
function baseUrl(name: string, value: string): string {
  const example = name === 'WECHAT_API_URL' ? 'https://api.weixin.qq.com' : 'https://open.weixin.qq.com';
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol) || !url.hostname || url.username || url.password || url.search || url.hash) {
    throw new ConfigError(
      `${name}=${JSON.stringify(maskUrl(value))} must be an http(s) URL without credentials, query or fragment, e.g. ${example}`,
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

export const wechatConfig = configSection(WECHAT_CONFIG, WechatVariables, (variables): WechatConfig => ({
  apiUrl: baseUrl('WECHAT_API_URL', variables.WECHAT_API_URL),
  openUrl: baseUrl('WECHAT_OPEN_URL', variables.WECHAT_OPEN_URL),
}));
