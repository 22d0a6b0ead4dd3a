/** Anything with an `@` may be an address, well-formed or not (`"a b"@x.io`, `a@x.io,b@y.io`). */
const EMAIL = /^(.)[^]*@([^@]*)$/su;

/** `bob@example.com` -> `b***@example.com`: enough to tell mails apart in a log, not to harvest them. */
export function maskEmail(email: string): string {
  return email.replace(EMAIL, '$1***@$2');
}

/** Every email address inside free text (a mail server's refusal, say) masked. */
export function maskEmailsIn(text: string): string {
  return text.replace(/([^\s<>"'(),;:@/?&=])[^\s<>"'(),;:@/?&=]*@([^\s<>"'(),;:@/?&=]+\.[^\s<>"'(),;:@/?&=]+)/gu, '$1***@$2');
}

/** One address and nothing more: what follows its only `@` is a domain name, so it may stay in the log. */
const ADDRESS = /^[^@]+@[\p{L}\p{M}\p{N}.-]+$/u;

/**
 * The URL as logs may show it: the path, and the query with the value of every parameter named in
 * `secrets` (lower case) replaced and every email address masked; a value with an `@` that is more
 * than one address (`a@b.com,pwd=X`) is masked whole. Parameters are told apart at `&` and at `;`,
 * which some parsers take as a separator too.
 */
export function redactUrl(url: string, secrets: ReadonlySet<string>): string {
  const queryStart = url.indexOf('?');
  if (queryStart < 0) {
    return maskPath(url);
  }
  const query = url
    .slice(queryStart + 1)
    .split(/([&;])/)
    .map((pair, index) => {
      if (index % 2 === 1) {
        return pair;
      }
      const [name, ...rest] = pair.split('=');
      // `pwd[]`, `pwd[0]`, `pwd.x`, `pwd%00` and the like reach the same parameter (or nest under it) in
      // some parsers: compare the bare name, cut at the first `[` or `.`.
      if (
        secrets.has(
          safeDecode(name)
            .toLowerCase()
            .replace(/[\p{Cc}\s]/gu, '')
            .replace(/[[.][^]*$/u, ''),
        )
      ) {
        return `${name}=[redacted]`;
      }
      const value = safeDecode(rest.join('=').replace(/\+/g, ' '));
      if (!value.includes('@')) {
        return safeDecode(name).includes('@') ? '***' : pair;
      }
      return ADDRESS.test(value) ? `${name}=${encodeURIComponent(maskEmail(value))}` : `${name}=***`;
    })
    .join('');
  return `${maskPath(url.slice(0, queryStart))}?${query}`;
}

/** Every address in a path masked, percent-encoded (`bob%40example.com`) or not. */
function maskPath(path: string): string {
  return path
    .split('/')
    .map((segment) => {
      const decoded = safeDecode(segment);
      if (decoded === segment || !decoded.includes('@')) {
        return maskEmailsIn(segment);
      }
      const masked = maskEmailsIn(decoded);
      return masked === decoded ? segment : encodeURIComponent(masked);
    })
    .join('/');
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
