/** Enduser parameters: read from the query string (the vendor's way), else from a form or JSON body. */
export class EnduserParams {
  private constructor(private readonly sources: readonly Record<string, unknown>[]) {}

  static from(query: unknown, body: unknown): EnduserParams {
    const isRecord = (value: unknown): value is Record<string, unknown> =>
      value !== null && typeof value === 'object' && !Array.isArray(value);
    return new EnduserParams([query, body].filter(isRecord));
  }

  /** The value as text; `null` when it was sent but is not a single scalar (a repeated key, `name[]=`, an object). */
  text(name: string): string | undefined | null {
    const source = this.sources.find((candidate) => candidate[name] !== undefined || sentAsList(candidate, name));
    if (source && sentAsList(source, name)) {
      return null;
    }
    const value = source?.[name];
    if (value === undefined || value === null) {
      return undefined;
    }
    if (typeof value === 'string') {
      return value;
    }
    return typeof value === 'number' || typeof value === 'boolean' ? String(value) : null;
  }

  /** Absent or empty counts as not given; a malformed value was given. */
  has(name: string): boolean {
    const value = this.text(name);
    return value !== undefined && value !== '';
  }
}

/**
 * `email[]=a` or `email[0]=a`: the query string and form parsers take brackets literally, so the value
 * arrives under a name of its own; it is still the parameter, sent as a list.
 */
function sentAsList(source: Record<string, unknown>, name: string): boolean {
  return Object.keys(source).some((key) => key.startsWith(`${name}[`));
}
