import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiExtraModels, ApiOkResponse, ApiQuery, getSchemaPath, SchemaObject } from '@nestjs/swagger';
import { DomainErrorCode as C } from '../../error-codes/domain-error-code.enum';
import { ApiErrorResponses, describeCodes, renderConditions } from '../../openapi/api-error-responses.decorator';
import { EMAIL_MAX_LENGTH } from '../../users/normalization';
import { EnduserErrorResponseDto, EnduserReferenceItemDto, EnduserTimezoneDto } from './dto/enduser-response.dto';
import { PASSWORD_FORMAT, USER_DOMAIN_FORMAT } from './enduser-rules';
import { EMAIL_TYPE_PASSWORD_RESET, EMAIL_TYPE_REGISTRATION } from './enduser.service';
import { EnduserErrorCode as E, enduserErrors } from './enduser.error-map';

export const OPTIONAL_ID: SchemaObject = { type: 'integer', format: 'int32', minimum: 0 };

/** Every parameter the enduser routes read, with the rules EnduserService checks. */
const PARAMETERS = {
  email: { required: true, description: 'email address', schema: { type: 'string', format: 'email', maxLength: EMAIL_MAX_LENGTH } },
  pwd: {
    required: true,
    description: `the password, plaintext or AES-128-CBC/Base64 when random is given; once decrypted it must match ${PASSWORD_FORMAT.source}`,
    schema: { type: 'string' },
  },
  userDomain: {
    required: true,
    description: 'user domain, e.g. C.DM.10271.5',
    schema: { type: 'string', pattern: USER_DOMAIN_FORMAT.source },
  },
  code: { required: true, description: 'email verification code', schema: { type: 'string' } },
  random: { required: false, description: 'the random string the pwd key is derived from', schema: { type: 'string' } },
  lang: { required: false, description: 'an id from getLanguageList; 0 = unset', schema: OPTIONAL_ID },
  nationality: { required: false, description: 'an id from getNationalityList; 0 = unset', schema: OPTIONAL_ID },
  timezone: { required: false, description: 'an id from getTimezoneList; 0 = unset', schema: OPTIONAL_ID },
  mcc: { required: false, description: 'ITU-T E.212 mobile country code; 0 = unset', schema: OPTIONAL_ID },
  emailType: {
    required: true,
    description: '1 = registration, 2 = password reset (userPwdReset)',
    schema: { type: 'integer', enum: [Number(EMAIL_TYPE_REGISTRATION), Number(EMAIL_TYPE_PASSWORD_RESET)] },
  },
  signature: {
    required: true,
    description:
      'hex SHA-256 of email + pwd (exactly as sent) + random + the user domain secret (`npm run cli -- user-domain secret --domain D`)',
    schema: { type: 'string', pattern: '^[0-9a-fA-F]{64}$' },
  },
  refreshToken: { required: true, description: 'the refresh token as issued, with or without its "Bearer "', schema: { type: 'string' } },
  oldPwd: {
    required: true,
    description: 'the current password, plaintext or AES like pwd when random is given',
    schema: { type: 'string' },
  },
  newPwd: { required: true, description: 'the new password, plaintext or AES like pwd when random is given', schema: { type: 'string' } },
  resetPwd: {
    required: true,
    description: `the new password, plaintext or AES-128-CBC/Base64 when random is given; once decrypted it must match ${PASSWORD_FORMAT.source}`,
    schema: { type: 'string' },
  },
  resetEmail: {
    required: true,
    description: 'the email of the account; this server resets by email only',
    schema: { type: 'string', format: 'email' },
  },
  resetCode: { required: true, description: 'the code sent by sendEmail with emailType=2', schema: { type: 'string' } },
  type: {
    required: false,
    description: '1 = delete now, 2 (default) = delete after 7 days unless the user signs in',
    schema: { type: 'integer', enum: [1, 2] },
  },
  nikeName: {
    required: false,
    description: 'nickname (the vendor spelling), at most 50 characters',
    schema: { type: 'string', maxLength: 50 },
  },
  sex: { required: false, description: '0 male, 1 female, 2 private', schema: { type: 'integer', enum: [0, 1, 2] } },
  headImage: {
    required: false,
    description: 'an http(s) URL of the profile picture, at most 1024 characters; empty clears it',
    schema: { type: 'string', format: 'uri' },
  },
  address: { required: false, description: 'at most 254 characters', schema: { type: 'string', maxLength: 254 } },
  province: { required: false, description: 'at most 64 characters', schema: { type: 'string', maxLength: 64 } },
  city: { required: false, description: 'at most 64 characters', schema: { type: 'string', maxLength: 64 } },
  personalSignature: {
    required: false,
    description: 'personal signature, at most 254 characters',
    schema: { type: 'string', maxLength: 254 },
  },
  remark: { required: false, description: 'at most 254 characters', schema: { type: 'string', maxLength: 254 } },
} satisfies Record<string, { required: boolean; description: string; schema: SchemaObject }>;

/** Entries of PARAMETERS documenting a parameter whose meaning differs by route, under its wire name. */
const WIRE_NAMES: Partial<Record<keyof typeof PARAMETERS, string>> = {
  resetPwd: 'pwd',
  resetEmail: 'email',
  resetCode: 'code',
  personalSignature: 'signature',
};
const wireName = (name: keyof typeof PARAMETERS) => WIRE_NAMES[name] ?? name;

/** Query parameters (the vendor's way), which EnduserParams also takes by the same names from a form or JSON body. */
export const ApiEnduserParameters = (...names: (keyof typeof PARAMETERS)[]) =>
  applyDecorators(
    ...names.map((key) => {
      const { required, description, schema } = PARAMETERS[key];
      const name = wireName(key);
      const where = required ? 'required here or in the body' : 'may also come in the body';
      return ApiQuery({ name, required, schema, description: `${description}; ${where} (a form or JSON body; the query string wins)` });
    }),
    ApiConsumes('application/x-www-form-urlencoded', 'application/json'),
    ApiBody({
      required: false,
      description:
        'The same parameters as a form or a JSON object, for those not in the query string. Unknown names are ignored; ' +
        'a `__proto__`, `constructor` or `prototype` key is refused with code 400.',
      schema: {
        type: 'object',
        properties: Object.fromEntries(
          names.map((name) => [wireName(name), { ...PARAMETERS[name].schema, description: PARAMETERS[name].description }]),
        ),
      },
    }),
  );

/**
 * The vendor answers business errors in HTTP 200, so the 200 response is either the success envelope with
 * `data` or the error envelope with one of the route's codes; transport-level failures keep their status.
 */
export const ApiEnduserResponses = (data: SchemaObject, conditions: readonly (C | E)[]) => {
  const business = renderConditions(enduserErrors, conditions).filter(({ status }) => status === 200);
  return applyDecorators(
    ApiExtraModels(EnduserErrorResponseDto, EnduserReferenceItemDto, EnduserTimezoneDto),
    ApiOkResponse({
      description: `\`code\` 200 on success; otherwise one of ${describeCodes(business)}`,
      schema: {
        oneOf: [
          {
            type: 'object',
            required: ['code', 'msg', 'data', 'extMsg'],
            properties: {
              code: { type: 'integer', enum: [200] },
              msg: { type: 'string', example: 'success' },
              data,
              extMsg: { type: 'string', example: '' },
            },
          },
          {
            allOf: [
              { $ref: getSchemaPath(EnduserErrorResponseDto) },
              { type: 'object', properties: { code: { type: 'integer', enum: [...new Set(business.map(({ code }) => code))] } } },
            ],
          },
        ],
      },
    }),
    ApiErrorResponses(enduserErrors, EnduserErrorResponseDto, conditions),
  );
};
