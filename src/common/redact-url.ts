/** Query parameters that carry secrets in some dialect (enduser sends its password in the query string). */
const SECRET_PARAMETERS = new Set(['pwd', 'password', 'random', 'code', 'verify_code', 'token', 'refresh_token', 'access_token']);

/** The URL as logs may show it: the path, and the query with every secret value replaced. */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart < 0) {
    return url;
  }
  const query = url
    .slice(queryStart + 1)
    .split('&')
    .map((pair) => {
      const name = pair.split('=', 1)[0];
      return SECRET_PARAMETERS.has(safeDecode(name).toLowerCase()) ? `${name}=[redacted]` : pair;
    })
    .join('&');
  return `${url.slice(0, queryStart)}?${query}`;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
