import { applyDecorators, Body, Controller, Get, HttpCode, Post, Query, Req, Type, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags, getSchemaPath, SchemaObject } from '@nestjs/swagger';
import type { Request } from 'express';
import { DomainErrorCode as C } from '../../error-codes/domain-error-code.enum';
import { CountsRegistration } from '../../metrics/registration-routes';
import { EnduserReferenceItemDto, EnduserTimezoneDto } from './dto/enduser-response.dto';
import { enduserLanguage } from './enduser-language';
import { ApiEnduserParameters, ApiEnduserResponses } from './enduser-openapi';
import { EnduserParams } from './enduser-params';
import { languageList, nationalityList, timezoneList } from './enduser-reference.presenter';
import { EnduserService } from './enduser.service';
import { EnduserErrorCode as E } from './enduser.error-map';
import { RateLimitGuard } from '../../rate-limit/rate-limit.guard';

export const ok = <T>(data: T) => ({ code: 200, msg: 'success', data, extMsg: '' });

export const CODE_SENDING_ERRORS = [
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

export const NO_DATA: SchemaObject = { type: 'object', nullable: true, example: null, description: 'always null' };
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
  @ApiOperation({ operationId: 'enduserSendEmail', summary: 'Send an email code; emailType 1 = registration, 2 = password reset' })
  @ApiEnduserParameters('email', 'emailType', 'userDomain')
  @ApiEnduserResponses(NO_DATA, [...CODE_SENDING_ERRORS, E.EMAIL_TYPE_REQUIRED, C.VERIFICATION_TYPE_UNSUPPORTED, E.EMAIL_NOT_REGISTERED])
  async sendEmail(@Query() params: unknown, @Body() body: unknown, @Req() request: Request) {
    await this.enduser.sendCode(EnduserParams.from(params, body), {
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
    await this.enduser.sendCode(EnduserParams.from(params, body), {
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
