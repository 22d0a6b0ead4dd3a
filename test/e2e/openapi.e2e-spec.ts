import SwaggerParser from '@apidevtools/swagger-parser';
import type {
  OpenAPIObject,
  OperationObject,
  ParameterObject,
  ReferenceObject,
  RequestBodyObject,
  ResponseObject,
  SchemaObject,
} from '@nestjs/swagger';
import { DialectResolver } from '../../src/common/dialect-resolver';
import { DIALECTS } from '../../src/dialects';
import { createTestApp, TestApp } from '../utils/create-test-app';

/** The schema of each dialect's error envelope; a new dialect fails here until it names its own. */
const ENVELOPES: Record<string, string> = {
  userpool: 'UserpoolErrorResponseDto',
  enduser: 'EnduserErrorResponseDto',
  bytepower: 'BytepowerErrorResponseDto',
  'jsonapi-users': 'ErrorDocumentDto',
};

/** Dialects whose validation pipe refuses unknown fields, so their request bodies must say so. */
const CLOSED_BODIES = ['userpool', 'bytepower'];

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

interface Operation {
  path: string;
  method: string;
  dialect: string | undefined;
  operation: OperationObject;
}

const resolver = new DialectResolver(DIALECTS);
const dialectOf = (path: string) => resolver.dialectOf(path)?.name;

const operationsOf = (document: OpenAPIObject): Operation[] =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => ({ path, method, dialect: dialectOf(path), operation: item[method]! })),
  );

/** Every `$ref` inside a schema, however deep. */
function refsIn(value: unknown): string[] {
  if (value === null || typeof value !== 'object') {
    return [];
  }
  return Object.entries(value).flatMap(([key, child]) => (key === '$ref' && typeof child === 'string' ? [child] : refsIn(child)));
}

const schemasOf = (response: ResponseObject | ReferenceObject | undefined) =>
  Object.values((response as ResponseObject | undefined)?.content ?? {}).map(({ schema }) => schema);

describe('OpenAPI document at /docs/openapi.json', () => {
  let t: TestApp;
  let document: OpenAPIObject;
  /** The same document with every `$ref` replaced by its target, as a client generator reads it. */
  let resolved: OpenAPIObject;
  let operations: Operation[];

  beforeAll(async () => {
    t = await createTestApp();
    const response = await t.http().get('/docs/openapi.json').expect(200);
    document = response.body;
    resolved = (await SwaggerParser.dereference(structuredClone(document) as never)) as unknown as OpenAPIObject;
    operations = operationsOf(document);
  });
  afterAll(() => t.close());

  const requestSchema = (path: string, method: 'post', mediaType = 'application/json') =>
    (resolved.paths[path][method]!.requestBody as RequestBodyObject).content[mediaType].schema as SchemaObject;
  const property = (schema: SchemaObject, ...names: string[]) =>
    names.reduce((current, name) => current.properties![name] as SchemaObject, schema);

  it('is a valid OpenAPI document', async () => {
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
    expect(operations.length).toBeGreaterThanOrEqual(19);
  });

  it('defines every security scheme an operation asks for', () => {
    const required = operations.flatMap(({ operation }) => (operation.security ?? []).flatMap((requirement) => Object.keys(requirement)));
    expect(required).toContain('bearer');
    for (const name of new Set(required)) {
      expect({ name, scheme: document.components?.securitySchemes?.[name] }).toEqual({
        name,
        scheme: expect.any(Object),
      });
    }
    expect(document.components?.securitySchemes?.bearer).toEqual({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  });

  it('names exactly the dialects that exist in its description', () => {
    const named = [...(document.info.description ?? '').matchAll(/`([a-z-]+)`/g)].map(([, name]) => name);
    expect(named.sort()).toEqual(DIALECTS.map(({ name }) => name).sort());
    expect(Object.keys(ENVELOPES).sort()).toEqual(DIALECTS.map(({ name }) => name).sort());
  });

  it('gives every operation a unique, readable operationId', () => {
    const ids = operations.map(({ operation }) => operation.operationId);
    for (const id of ids) {
      expect(id).toMatch(/^[a-z][A-Za-z0-9]+$/);
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      expect.arrayContaining([
        'userpoolRegisterEmail',
        'enduserEmailPwdRegister',
        'enduserEmailPwdRegisterV2',
        'bytepowerSignup',
        'jsonApiRegister',
        'healthCheck',
      ]),
    );
  });

  it('gives every input a schema, and every POST a request body', () => {
    for (const { method, operation } of operations) {
      for (const parameter of (operation.parameters ?? []) as ParameterObject[]) {
        expect({ [`${operation.operationId} ${parameter.name}`]: parameter.schema }).toEqual({
          [`${operation.operationId} ${parameter.name}`]: expect.any(Object),
        });
      }
      const body = operation.requestBody as RequestBodyObject | undefined;
      if (method === 'post') {
        expect({ [operation.operationId!]: body }).toEqual({
          [operation.operationId!]: expect.objectContaining({ content: expect.any(Object) }),
        });
      }
      for (const [mediaType, content] of Object.entries(body?.content ?? {})) {
        expect({ [`${operation.operationId} ${mediaType}`]: content.schema }).toEqual({
          [`${operation.operationId} ${mediaType}`]: expect.any(Object),
        });
      }
    }
  });

  it('lists concrete statuses only, a 2xx with a schema, and errors in the dialect envelope naming its codes', () => {
    for (const { dialect, operation } of operations) {
      const id = operation.operationId!;
      const responses = Object.entries(operation.responses);
      expect({ [id]: responses.map(([status]) => status).filter((status) => !/^[1-5]\d\d$/.test(status)) }).toEqual({ [id]: [] });

      const success = responses.filter(([status]) => status.startsWith('2'));
      // A route that only redirects (WeChat's authorization) documents where to, in Location, instead of a body.
      const redirects = responses.filter(([status]) => status.startsWith('3'));
      if (success.length === 0 && redirects.length > 0) {
        for (const [status, response] of redirects) {
          expect({ [`${id} ${status}`]: Object.keys((response as ResponseObject).headers ?? {}) }).toEqual({
            [`${id} ${status}`]: ['Location'],
          });
        }
      } else {
        expect({ [id]: success.flatMap(([, response]) => schemasOf(response)).length }).not.toEqual({ [id]: 0 });
      }

      const errors = responses.filter(([status]) => Number(status) >= 400);
      for (const [status, response] of errors) {
        expect({ [`${id} ${status}`]: schemasOf(response).length }).not.toEqual({ [`${id} ${status}`]: 0 });
      }
      if (dialect === undefined) {
        expect({ [id]: errors.length }).not.toEqual({ [id]: 0 });
        continue;
      }
      const envelope = `#/components/schemas/${ENVELOPES[dialect]}`;
      for (const [status, response] of errors) {
        expect({ [`${id} ${status}`]: schemasOf(response).map((schema) => (schema as ReferenceObject).$ref) }).toEqual({
          [`${id} ${status}`]: [envelope],
        });
        expect({ [`${id} ${status}`]: (response as ResponseObject).description }).toEqual({
          [`${id} ${status}`]: expect.stringMatching(/`[\w]+` \(/),
        });
      }
      // enduser answers its business errors in HTTP 200: there the 200 is either envelope.
      const inOk = success.flatMap(([, response]) => schemasOf(response)).flatMap((schema) => (schema as SchemaObject).oneOf ?? []);
      expect({ [id]: [...errors.flatMap(([, response]) => schemasOf(response)), ...inOk].flatMap(refsIn) }).toEqual({
        [id]: expect.arrayContaining([envelope]),
      });
    }
  });

  it('closes the request bodies of the dialects that refuse unknown fields, and only those', () => {
    const closedRoutes = operations.filter(({ dialect, operation }) => CLOSED_BODIES.includes(dialect ?? '') && operation.requestBody);
    const closedOf = (name: string) => closedRoutes.filter(({ dialect }) => dialect === name).length;
    expect(closedOf('userpool')).toBe(9);
    expect(closedOf('bytepower')).toBe(4);
    for (const { path } of closedRoutes) {
      const schema = requestSchema(path, 'post');
      expect({ [path]: schema.additionalProperties }).toEqual({ [path]: false });
      for (const [name, nested] of Object.entries(schema.properties ?? {}) as [string, SchemaObject][]) {
        if (nested.type === 'object' || nested.properties) {
          expect({ [`${path} ${name}`]: nested.additionalProperties }).toEqual({ [`${path} ${name}`]: false });
        }
      }
    }
    // Discuz! Q ignores unknown attributes; so does enduser with unknown parameters.
    expect(property(requestSchema('/api/register', 'post'), 'data', 'attributes').additionalProperties).toBeUndefined();
    expect(requestSchema('/v2/enduser/enduserapi/emailPwdRegister', 'post').additionalProperties).toBeUndefined();
  });

  it('carries the limits the validation enforces', () => {
    const email = requestSchema('/api/v1/register/email', 'post');
    expect(email.required).toEqual(['email', 'password']);
    expect(property(email, 'email')).toMatchObject({ format: 'email', maxLength: 254, minLength: 1 });
    expect(property(email, 'profile', 'nickname').maxLength).toBe(64);
    expect(property(email, 'profile', 'address').maxLength).toBe(255);
    expect(property(email, 'profile', 'phone').pattern).toBe('^\\+?[0-9][0-9 -]{3,30}$');
    expect(property(email, 'profile', 'locale').pattern).toBe('^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$');
    expect(property(email, 'profile', 'photo')).toMatchObject({ format: 'uri', pattern: '^(http|https)://', maxLength: 1024 });
    expect(property(email, 'profile', 'gender').enum).toEqual(['M', 'F', 'U']);
    expect(property(requestSchema('/api/v1/register/username', 'post'), 'username').maxLength).toBe(64);

    const signup = requestSchema('/bp/server/user/signup', 'post');
    expect(property(signup, 'name_password', 'name').maxLength).toBe(64);
    expect(property(signup, 'imei').maxLength).toBe(256);
    expect(property(signup, 'email_password', 'verify_code').maxLength).toBe(32);
    expect(property(requestSchema('/bp/server/user/login', 'post'), 'name_password', 'name').maxLength).toBe(64);
    expect(property(requestSchema('/bp/server/user/send_email_verify_code', 'post'), 'type')).toMatchObject({
      type: 'string',
      enum: ['sign_up_email', 'reset_password_email'],
    });
    expect(property(requestSchema('/bp/server/user/reset_password', 'post'), 'verify_code').maxLength).toBe(32);

    expect(property(requestSchema('/api/register', 'post'), 'data', 'attributes', 'password')).toMatchObject({
      minLength: 6,
      maxLength: 50,
    });
  });

  it('documents that enduser parameters may also come in a form or JSON body', () => {
    const enduser = operations.filter(
      ({ dialect, operation }) =>
        dialect === 'enduser' && (operation.parameters as ParameterObject[] | undefined)?.some(({ in: where }) => where === 'query'),
    );
    // The four POSTs (register twice, sendEmail, sendEmailRegisterCode), emailPwdLogin, and the PUTs and DELETE that take parameters.
    expect(enduser.length).toBe(10);
    for (const { operation } of enduser) {
      const query = (operation.parameters as ParameterObject[]).filter((parameter) => parameter.in === 'query');
      expect(query.length).toBeGreaterThan(0);
      for (const parameter of query) {
        expect(parameter.description).toMatch(/form or JSON body/);
      }
      const body = operation.requestBody as RequestBodyObject;
      expect(body.required).toBe(false);
      expect(Object.keys(body.content).sort()).toEqual(['application/json', 'application/x-www-form-urlencoded']);
      for (const { schema } of Object.values(body.content)) {
        expect(Object.keys((schema as SchemaObject).properties ?? {}).sort()).toEqual(query.map(({ name }) => name).sort());
      }
    }
    const sendEmail = document.paths['/v2/mail/enduserapi/v2/sendEmail'].post!;
    expect((sendEmail.parameters as ParameterObject[]).find(({ name }) => name === 'userDomain')?.schema).toMatchObject({
      pattern: '^[A-Z]\\.DM\\.\\d+\\.\\d+$',
    });
    expect((sendEmail.responses['200'] as ResponseObject).description).toMatch(/`5465` \(verification code too soon\)/);
  });
});
