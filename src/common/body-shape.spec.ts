import { DomainErrorCode } from '../error-codes/domain-error-code.enum';
import { checkBodyShape, MAX_BODY_DEPTH, MAX_BODY_NODES } from './body-shape';

const nested = (levels: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
};

describe('checkBodyShape', () => {
  it.each([undefined, null, 'text', 42, {}, [], { email: 'a@example.com', profile: { nickname: 'x' } }, nested(MAX_BODY_DEPTH)])(
    'accepts %j',
    (body) => {
      expect(checkBodyShape(body)).toBeUndefined();
    },
  );

  it.each([MAX_BODY_DEPTH + 1, 3000, 100_000])('refuses a body nested %i levels deep without overflowing the stack', (levels) => {
    expect(checkBodyShape(nested(levels))).toMatchObject({ code: DomainErrorCode.MALFORMED_REQUEST });
  });

  it('counts arrays as nesting too', () => {
    let value: unknown = 1;
    for (let i = 0; i < 5000; i++) value = [value];
    expect(checkBodyShape(value)).toMatchObject({ code: DomainErrorCode.MALFORMED_REQUEST });
  });

  it('refuses more fields than the limit, across levels', () => {
    const wide = { a: Object.fromEntries(Array.from({ length: MAX_BODY_NODES }, (_, i) => [`k${i}`, i])) };
    expect(checkBodyShape(wide)).toMatchObject({ code: DomainErrorCode.MALFORMED_REQUEST });
    expect(checkBodyShape(wide.a)).toBeUndefined();
  });

  it.each([
    ['{"__proto__": {"admin": true}}', '__proto__'],
    ['{"profile": {"constructor": {"prototype": {}}}}', 'profile.constructor'],
    ['{"list": [{"prototype": 1}]}', 'list.0.prototype'],
  ])('refuses prototype keys as unknown fields: %s', (json, field) => {
    expect(checkBodyShape(JSON.parse(json))).toMatchObject({ code: DomainErrorCode.UNKNOWN_FIELD, details: { field } });
  });
});
