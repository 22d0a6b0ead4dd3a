import { Injectable, RequestMethod, SetMetadata } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';

const COUNTS_REGISTRATION = 'unireg:counts-registration';

/** Marks a handler that registers a user: its answers are counted by dialect and outcome in `unireg_registrations_total`. */
export const CountsRegistration = (): MethodDecorator => SetMetadata(COUNTS_REGISTRATION, true);

const pathsOf = (metadata: unknown): string[] =>
  Array.isArray(metadata) ? (metadata as string[]) : [typeof metadata === 'string' ? metadata : ''];

const segments = (path: string): string[] => path.split('/').filter(Boolean);

/** `api/v1/register` + `email` -> `/api/v1/register/email`, the pattern Nest gives Express and `request.route.path` shows. */
const joinPath = (...parts: string[]): string => `/${parts.flatMap(segments).join('/')}`;

/** The routes whose handlers carry `@CountsRegistration()`, read once from the controllers, as `METHOD /pattern`. */
@Injectable()
export class RegistrationRoutes {
  private readonly routes = new Set<string>();

  constructor(discovery: DiscoveryService, scanner: MetadataScanner, reflector: Reflector) {
    for (const { metatype } of discovery.getControllers()) {
      if (typeof metatype !== 'function') {
        continue;
      }
      const prototype = metatype.prototype as Record<string, (...args: never[]) => unknown>;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name];
        if (reflector.get<boolean | undefined>(COUNTS_REGISTRATION, handler) !== true) {
          continue;
        }
        const method = RequestMethod[reflector.get<RequestMethod>(METHOD_METADATA, handler)];
        for (const base of pathsOf(reflector.get<unknown>(PATH_METADATA, metatype))) {
          for (const path of pathsOf(reflector.get<unknown>(PATH_METADATA, handler))) {
            this.routes.add(`${method} ${joinPath(base, path)}`);
          }
        }
      }
    }
  }

  /** Whether `method` on the route `pattern` registers a user. */
  has(method: string, pattern: string): boolean {
    return this.routes.has(`${method} ${pattern}`);
  }
}
