import { DomainErrorCode } from '../../../error-codes/domain-error-code.enum';
import { JsonApiUsersErrorCode } from '../jsonapi-users.error-map';
import { JsonApiRequestPipe } from './jsonapi-request.pipe';

describe('JsonApiRequestPipe', () => {
  const users = new JsonApiRequestPipe('users');

  it('reads the attributes of a document with or without type', () => {
    expect({ ...users.transform({ data: { type: 'users', attributes: { username: 'a' } } }) }).toEqual({ username: 'a' });
    expect({ ...users.transform({ data: { attributes: { username: 'a' } } }) }).toEqual({ username: 'a' });
    expect({ ...users.transform({ data: {} }) }).toEqual({});
  });

  it('copies attributes onto an object without prototype, so no inherited name reads as an attribute', () => {
    const attributes = users.transform(JSON.parse('{"data":{"attributes":{"__proto__":{"username":"evil"}}}}'));
    expect(Object.getPrototypeOf(attributes)).toBeNull();
    expect(attributes.username).toBeUndefined();
    expect(users.transform({ data: { attributes: {} } }).constructor).toBeUndefined();
  });

  it.each([
    [undefined, undefined],
    [[], undefined],
    [{}, 'data'],
    [{ data: null }, 'data'],
    [{ data: [] }, 'data'],
    [{ data: { type: 1 } }, 'data.type'],
    [{ data: { attributes: [] } }, 'data.attributes'],
    [{ data: { attributes: 'x' } }, 'data.attributes'],
  ])('refuses %j as MALFORMED_REQUEST at %s', (body, field) => {
    expect(() => users.transform(body)).toThrow(
      expect.objectContaining({ code: DomainErrorCode.MALFORMED_REQUEST, details: expect.objectContaining({ field }) }),
    );
  });

  it('refuses another type with RESOURCE_TYPE_CONFLICT, unless the endpoint takes any', () => {
    expect(() => users.transform({ data: { type: 'posts', attributes: {} } })).toThrow(
      expect.objectContaining({
        code: JsonApiUsersErrorCode.RESOURCE_TYPE_CONFLICT,
        details: { field: 'data.type', params: { expected: 'users' } },
      }),
    );
    expect({ ...new JsonApiRequestPipe().transform({ data: { type: 'token', attributes: { a: 1 } } }) }).toEqual({ a: 1 });
  });
});
