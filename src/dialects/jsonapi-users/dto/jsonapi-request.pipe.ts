import { Injectable, PipeTransform } from '@nestjs/common';
import { DomainErrorCode } from '../../../error-codes/domain-error-code.enum';
import { DomainError } from '../../../error-codes/domain-error';
import { JsonApiUsersErrorCode } from '../jsonapi-users.error-map';

/** The attributes of a request document's primary resource, read only through own properties. */
export type RequestAttributes = Readonly<Record<string, unknown>>;

const isObject = (value: unknown): value is object => value !== null && typeof value === 'object' && !Array.isArray(value);

const malformed = (field: string | undefined, reason: string) => new DomainError(DomainErrorCode.MALFORMED_REQUEST, { field, reason });

/**
 * Reads a JSON:API request document `{data: {type?, attributes?}}`. What is not such a document is
 * MALFORMED_REQUEST (400); a `data.type` other than the expected one is RESOURCE_TYPE_CONFLICT (409). The
 * official web client sends no `type`, so a document without one is of the expected type; one without
 * `attributes` has no attributes. Unknown attributes are ignored, as the original server ignores them.
 */
@Injectable()
export class JsonApiRequestPipe implements PipeTransform<unknown, RequestAttributes> {
  /** @param type the resource type the endpoint accepts; undefined accepts any. */
  constructor(private readonly type?: string) {}

  transform(body: unknown): RequestAttributes {
    if (!isObject(body)) {
      throw malformed(undefined, 'the body must be a JSON:API document');
    }
    const data: unknown = Object.hasOwn(body, 'data') ? (body as { data: unknown }).data : undefined;
    if (!isObject(data)) {
      throw malformed('data', 'data must be a resource object');
    }
    const { type, attributes } = Object.fromEntries(Object.entries(data).filter(([key]) => key === 'type' || key === 'attributes'));
    if (type !== undefined && typeof type !== 'string') {
      throw malformed('data.type', 'data.type must be a string');
    }
    if (this.type !== undefined && type !== undefined && type !== this.type) {
      throw new DomainError(JsonApiUsersErrorCode.RESOURCE_TYPE_CONFLICT, { field: 'data.type', params: { expected: this.type } });
    }
    if (attributes === undefined) {
      return Object.freeze(Object.create(null) as Record<string, unknown>);
    }
    if (!isObject(attributes)) {
      throw malformed('data.attributes', 'data.attributes must be an object');
    }
    // A null prototype: `__proto__`, `constructor` and the like are plain, unknown attributes here.
    return Object.freeze(Object.assign(Object.create(null) as Record<string, unknown>, Object.fromEntries(Object.entries(attributes))));
  }
}
