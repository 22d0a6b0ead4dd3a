import { applyDecorators, Body, Controller, Get, HttpCode, Post, Query, Req, Type, UseGuards } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
  getSchemaPath,
  SchemaObject,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { DomainErrorCode as C } from '../../error-codes/domain-error-code.enum';
import { CountsRegistration } from '../../metrics/registration-routes';
import { ApiErrorResponses, describeCodes, renderConditions } from '../../openapi/api-error-responses.decorator';
import { EMAIL_MAX_LENGTH } from '../../users/normalization';
import { EnduserErrorResponseDto, EnduserReferenceItemDto, EnduserTimezoneDto } from './dto/enduser-response.dto';
import { enduserLanguage } from './enduser-language';
import { EnduserParams } from './enduser-params';
import { PASSWORD_FORMAT, USER_DOMAIN_FORMAT } from './enduser-rules';
import { languageList, nationalityList, timezoneList } from './enduser-reference.presenter';
import { EMAIL_TYPE_REGISTRATION, EnduserService } from './enduser.service';
import { EnduserErrorCode as E, enduserErrors } from './enduser.error-map';
import { RateLimitGuard } from '../../rate-limit/rate-limit.guard';

const ok = <T>(data: T) => ({ code: 200, msg: 'success', data, extMsg: '' });

const OPTIONAL_ID: SchemaObject = { type: 'integer', format: 'int32', minimum: 0 };

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
  emailType: { required: true, description: '1 = registration', schema: { type: 'integer', enum: [Number(EMAIL_TYPE_REGISTRATION)] } },
} satisfies Record<string, { required: boolean; description: string; schema: SchemaObject }>;

/** Query parameters (the vendor's way), which EnduserParams also takes by the same names from a form or JSON body. */
const ApiEnduserParameters = (...names: (keyof typeof PARAMETERS)[]) =>
  applyDecorators(
    ...names.map((name) => {
      const { required, description, schema } = PARAMETERS[name];
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
          names.map((name) => [name, { ...PARAMETERS[name].schema, description: PARAMETERS[name].description }]),
        ),
      },
    }),
  );

/**
 * The vendor answers business errors in HTTP 200, so the 200 response is either the success envelope with
 * `data` or the error envelope with one of the route's codes; transport-level failures keep their status.
 */
const ApiEnduserResponses = (data: SchemaObject, conditions: readonly (C | E)[]) => {
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

const CODE_SENDING_ERRORS = [
  C.MALFORMED_REQUEST,
  C.PAYLOAD_TOO_LARGE,
  C.CONTENT_ENCODING_UNSUPPORTED,
  C.RATE_LIMITED,
  C.UNKNOWN_FIELD,
  C.TENANT_REQUIRED,
  C.EMAIL_REQUIRED,
  E.TENANT_INVALID,
  C.EMAIL_INVALID,
  C.TENANT_NOT_FOUND,
  C.TENANT_DISABLED,
  C.EMAIL_TAKEN,
  C.VERIFICATION_CODE_TOO_SOON,
  C.MAIL_DELIVERY_FAILED,
  C.DATABASE_UNAVAILABLE,
  C.INTERNAL,
];

/** Both register paths, documented alike under their own operation ids. */
const RegisterRoute = (operationId: string) =>
  applyDecorators(
    CountsRegistration(),
    HttpCode(200),
    UseGuards(RateLimitGuard),
    ApiOperation({ operationId, summary: 'Register with email, password and an email code; data is the new user id' }),
    ApiEnduserParameters('code', 'email', 'pwd', 'userDomain', 'random', 'lang', 'nationality', 'timezone', 'mcc'),
    ApiEnduserResponses({ type: 'string', example: 'C12', description: 'the new user id' }, [
      C.MALFORMED_REQUEST,
      C.PAYLOAD_TOO_LARGE,
      C.CONTENT_ENCODING_UNSUPPORTED,
      C.RATE_LIMITED,
      C.UNKNOWN_FIELD,
      C.PASSWORD_REQUIRED,
      C.TENANT_REQUIRED,
      C.EMAIL_REQUIRED,
      C.VERIFICATION_CODE_REQUIRED,
      E.TENANT_INVALID,
      C.EMAIL_INVALID,
      E.PASSWORD_DECRYPTION_FAILED,
      C.PASSWORD_INVALID,
      E.TIMEZONE_INVALID,
      E.NATIONALITY_INVALID,
      E.LANGUAGE_INVALID,
      E.MCC_UNKNOWN,
      E.MCC_OTHER_DATA_CENTER,
      C.TENANT_NOT_FOUND,
      C.TENANT_DISABLED,
      C.EMAIL_TAKEN,
      C.VERIFICATION_CODE_INVALID,
      C.DATABASE_UNAVAILABLE,
      C.INTERNAL,
    ]),
  );

const NO_DATA: SchemaObject = { type: 'object', nullable: true, example: null, description: 'always null' };
const list = (item: Type<unknown>): SchemaObject => ({ type: 'array', items: { $ref: getSchemaPath(item) } });

@ApiTags('enduser (Quectel IoT enduser OpenAPI)')
@Controller()
export class EnduserController {
  constructor(private readonly enduser: EnduserService) {}

  @Post('v2/enduser/enduserapi/emailPwdRegister')
  @RegisterRoute('enduserEmailPwdRegister')
  async register(@Query() params: unknown, @Body() body: unknown) {
    return ok(await this.enduser.register(EnduserParams.from(params, body)));
  }

  @Post('v2/enduser/enduserapi/v2/emailPwdRegister')
  @RegisterRoute('enduserEmailPwdRegisterV2')
  async registerV2(@Query() params: unknown, @Body() body: unknown) {
    return this.register(params, body);
  }

  @Post('v2/mail/enduserapi/v2/sendEmail')
  @HttpCode(200)
  @UseGuards(RateLimitGuard)
  @ApiOperation({ operationId: 'enduserSendEmail', summary: 'Send an email code; emailType 1 = registration' })
  @ApiEnduserParameters('email', 'emailType', 'userDomain')
  @ApiEnduserResponses(NO_DATA, [...CODE_SENDING_ERRORS, E.EMAIL_TYPE_REQUIRED, C.VERIFICATION_TYPE_UNSUPPORTED])
  async sendEmail(@Query() params: unknown, @Body() body: unknown, @Req() request: Request) {
    await this.enduser.sendRegistrationCode(EnduserParams.from(params, body), {
      requireEmailType: true,
      chinese: enduserLanguage(request) === 'zh',
    });
    return ok(null);
  }

  @Post('v2/enduser/enduserapi/sendEmailRegisterCode')
  @HttpCode(200)
  @UseGuards(RateLimitGuard)
  @ApiOperation({ operationId: 'enduserSendEmailRegisterCode', summary: 'Send a registration code (legacy endpoint)' })
  @ApiEnduserParameters('email', 'userDomain')
  @ApiEnduserResponses(NO_DATA, CODE_SENDING_ERRORS)
  async sendEmailRegisterCode(@Query() params: unknown, @Body() body: unknown, @Req() request: Request) {
    await this.enduser.sendRegistrationCode(EnduserParams.from(params, body), {
      requireEmailType: false,
      chinese: enduserLanguage(request) === 'zh',
    });
    return ok(null);
  }

  @Get('v2/enduser/enduserapi/getLanguageList')
  @ApiOperation({ operationId: 'enduserGetLanguageList', summary: 'Languages (ISO 639-1) and their ids' })
  @ApiEnduserResponses(list(EnduserReferenceItemDto), [C.INTERNAL])
  getLanguageList(@Req() request: Request) {
    return ok(languageList(enduserLanguage(request) === 'zh'));
  }

  @Get('v2/enduser/enduserapi/getNationalityList')
  @ApiOperation({ operationId: 'enduserGetNationalityList', summary: 'Countries (ISO 3166-1) and their ids' })
  @ApiEnduserResponses(list(EnduserReferenceItemDto), [C.INTERNAL])
  getNationalityList(@Req() request: Request) {
    return ok(nationalityList(enduserLanguage(request) === 'zh'));
  }

  @Get('v2/enduser/enduserapi/getTimezoneList')
  @ApiOperation({ operationId: 'enduserGetTimezoneList', summary: 'IANA time zones, their ids and current UTC offsets' })
  @ApiEnduserResponses(list(EnduserTimezoneDto), [C.INTERNAL])
  getTimezoneList() {
    return ok(timezoneList());
  }
}
