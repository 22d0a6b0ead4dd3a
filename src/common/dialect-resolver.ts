import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { DialectErrorRenderer } from '../error-codes/dialect-error-renderer';
import type { DomainError } from '../error-codes/domain-error';

/** What shared code knows of a dialect: its name, the paths it owns and how it answers on them. */
export interface DialectRoutes {
  name: string;
  /** The paths the dialect claims, known routes or not: an unknown one is answered in its envelope too. */
  pathPrefixes: readonly string[];
  errors: DialectErrorRenderer;
  /** Checks on the headers alone (e.g. an API version), answered before the body is even read. */
  checkHeaders?: (request: Request) => DomainError | undefined;
  /** Query parameters that carry secrets in this dialect; request logs redact their values. */
  secretQueryParameters: readonly string[];
  /** Paths whose next segment is a secret (a token a route takes in its path); request logs redact that segment. */
  secretPathPrefixes?: readonly string[];
}

/** The registry's dialects, as the composition root hands them to shared code. */
export const DIALECT_ROUTES = Symbol('DIALECT_ROUTES');

/** The dialect label of paths no dialect owns (health, docs, metrics). */
export const NO_DIALECT = 'none';

/**
 * Which dialect owns a path, for everything that must know it before or without a controller: the error
 * filter (which envelope), the header checks, the metrics and the request log (which label).
 */
@Injectable()
export class DialectResolver {
  private readonly prefixes: readonly { prefix: string; dialect: DialectRoutes }[];
  /** Every dialect's secret parameter names, lower case: a client may send any of them to any path. */
  readonly secretQueryParameters: ReadonlySet<string>;
  private readonly secretPathPrefixes: readonly string[];

  constructor(@Inject(DIALECT_ROUTES) dialects: readonly DialectRoutes[]) {
    const owners = new Map<string, string>();
    for (const dialect of dialects) {
      for (const prefix of dialect.pathPrefixes) {
        const owner = owners.get(prefix);
        if (owner !== undefined) {
          throw new Error(`dialects ${owner} and ${dialect.name} both claim the path prefix ${prefix}`);
        }
        owners.set(prefix, dialect.name);
      }
    }
    // Longest first, so that userpool's /api/v1/ stays its own inside jsonapi-users' /api/.
    this.prefixes = dialects
      .flatMap((dialect) => dialect.pathPrefixes.map((prefix) => ({ prefix, dialect })))
      .sort((a, b) => b.prefix.length - a.prefix.length);
    this.secretQueryParameters = new Set(dialects.flatMap((dialect) => dialect.secretQueryParameters.map((name) => name.toLowerCase())));
    this.secretPathPrefixes = dialects.flatMap((dialect) => dialect.secretPathPrefixes ?? []);
  }

  /** `url` with the secret path segment a dialect declares replaced, as logs may show it. */
  redactPath(url: string): string {
    const prefix = this.secretPathPrefixes.find((candidate) => url.startsWith(candidate));
    return prefix === undefined ? url : `${prefix}${url.slice(prefix.length).replace(/^[^/?#;]+/, '[redacted]')}`;
  }

  /** The dialect whose longest path prefix starts `path`, if any. */
  dialectOf(path: string): DialectRoutes | undefined {
    return this.prefixes.find(({ prefix }) => path.startsWith(prefix))?.dialect;
  }

  /** The dialect's name, or `none`, as metrics and logs label a request. */
  nameOf(path: string): string {
    return this.dialectOf(path)?.name ?? NO_DIALECT;
  }
}
