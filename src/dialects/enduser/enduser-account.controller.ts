import { applyDecorators, Body, Controller, Delete, Get, HttpCode, Post, Put, Query, Req, UseGuards } from '@nestjs/common';
import {
  ApiHeader,
  ApiInternalServerErrorResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  SchemaObject,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { DomainErrorCode as C } from '../../error-codes/domain-error-code.enum';
import { clientAddressOf, CountedClient } from '../../rate-limit/client-address';
import { RateLimitGuard } from '../../rate-limit/rate-limit.guard';
import { NO_DATA, ok } from './enduser.controller';
import { EnduserErrorCode as E } from './enduser.error-map';
import { EnduserAccountService } from './enduser-account.service';
import { EnduserAuthGuard, SignedIn } from './enduser-auth.guard';
import { ApiEnduserParameters, ApiEnduserResponses } from './enduser-openapi';
import { EnduserParams } from './enduser-params';
import type { SignedInEnduser } from './enduser-tokens.service';
import { SigningKeysService } from './signing-keys.service';

const TOKEN: SchemaObject = {
  type: 'object',
  required: ['token', 'expirationTime'],
  properties: {
    token: {
      type: 'string',
      example: 'Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6Ii4uLiJ9...',
      description: 'an RS256 JWT after "Bearer "',
    },
    expirationTime: { type: 'integer', format: 'int64', example: 1767232800, description: 'epoch seconds' },
  },
};
const TOKEN_PAIR: SchemaObject = {
  type: 'object',
  required: ['accessToken', 'refreshToken'],
  properties: {
    accessToken: { ...TOKEN, description: 'valid 2 hours' },
    refreshToken: { ...TOKEN, description: 'valid 30 days, single use' },
  },
};
const text = (example = ''): SchemaObject => ({ type: 'string', example });
const USER_INFO: SchemaObject = {
  type: 'object',
  properties: {
    uid: text('C12'),
    email: text('alice@example.com'),
    phone: text(),
    nikeName: text('Alice'),
    sex: { type: 'string', enum: ['', '0', '1', '2'] },
    headimg: text(),
    address: text(),
    province: text(),
    city: text(),
    signature: text(),
    remark: text(),
    lang: { type: 'string', description: 'an id of getLanguageList, or empty' },
    nationality: { type: 'string', description: 'an id of getNationalityList, or empty' },
    timezone: { type: 'string', description: 'an id of getTimezoneList, or empty' },
    status: { type: 'integer', enum: [0, 1], description: '1 normal, 0 disabled' },
    registerTime: { type: 'integer', format: 'int64', description: 'epoch milliseconds' },
    registerTimeTs: { type: 'integer', format: 'int64', description: 'epoch milliseconds' },
    lastLoginTime: { type: 'integer', format: 'int64', nullable: true, description: 'epoch milliseconds; null before the first sign-in' },
    lastLoginTimeTs: { type: 'integer', format: 'int64', nullable: true, description: 'epoch milliseconds; null before the first sign-in' },
    logonMode: { type: 'integer', nullable: true, description: 'not kept: always null' },
    ...Object.fromEntries(
      [
        'alipayUserId',
        'appleUserId',
        'facebookUserId',
        'qqUserId',
        'twitterUserId',
        'wechatMiniprogramUserId',
        'wechatOffiaccountUserId',
        'wechatUnionId',
      ].map((name) => [name, { type: 'string', example: '', description: 'no third-party sign-in here: always empty' }]),
    ),
  },
};

/** The plain JSON error of paths no dialect owns. */
const GENERIC_ERROR: SchemaObject = {
  type: 'object',
  required: ['statusCode', 'error'],
  properties: { statusCode: { type: 'integer', example: 503 }, error: text('DATABASE_UNAVAILABLE') },
};

const TRANSPORT_ERRORS = [C.MALFORMED_REQUEST, C.PAYLOAD_TOO_LARGE, C.CONTENT_ENCODING_UNSUPPORTED, C.UNKNOWN_FIELD] as const;
const SERVER_ERRORS = [C.DATABASE_UNAVAILABLE, C.INTERNAL] as const;
const TOKEN_ERRORS = [E.TOKEN_REQUIRED, E.TOKEN_INVALID] as const;

/** An authenticated route: the access token as issued, in `Authorization`. */
const Authenticated = () =>
  applyDecorators(
    UseGuards(EnduserAuthGuard),
    ApiHeader({
      name: 'Authorization',
      required: true,
      description: 'the accessToken.token of emailPwdLogin or refreshToken, "Bearer " included',
    }),
  );

/** Quectel's sign-in and account routes (docs/dialects/enduser.md). */
@ApiTags('enduser (Quectel IoT enduser OpenAPI)')
@Controller('v2/enduser/enduserapi')
export class EnduserAccountController {
  constructor(private readonly account: EnduserAccountService) {}

  @Post('emailPwdLogin')
  @HttpCode(200)
  @UseGuards(RateLimitGuard)
  @ApiOperation({ operationId: 'enduserEmailPwdLogin', summary: 'Sign in with email and password, signed with the user domain secret' })
  @ApiEnduserParameters('email', 'pwd', 'signature', 'userDomain', 'random', 'mcc')
  @ApiEnduserResponses(TOKEN_PAIR, [
    ...TRANSPORT_ERRORS,
    C.RATE_LIMITED,
    C.PASSWORD_REQUIRED,
    C.TENANT_REQUIRED,
    C.EMAIL_REQUIRED,
    E.SIGNATURE_REQUIRED,
    E.TENANT_INVALID,
    C.EMAIL_INVALID,
    E.PASSWORD_DECRYPTION_FAILED,
    C.PASSWORD_INVALID,
    E.MCC_UNKNOWN,
    E.MCC_OTHER_DATA_CENTER,
    C.TENANT_NOT_FOUND,
    C.TENANT_DISABLED,
    E.SIGNATURE_INVALID,
    E.EMAIL_NOT_REGISTERED,
    E.PASSWORD_WRONG_4_LEFT,
    E.PASSWORD_WRONG_3_LEFT,
    E.PASSWORD_WRONG_2_LEFT,
    E.PASSWORD_WRONG_1_LEFT,
    C.LOGIN_LOCKED,
    C.ACCOUNT_DISABLED,
    C.TENANT_MISCONFIGURED,
    ...SERVER_ERRORS,
  ])
  async login(@Query() query: unknown, @Body() body: unknown, @CountedClient() client: string, @Req() request: Request) {
    return ok(await this.account.login(EnduserParams.from(query, body), client, clientAddressOf(request)));
  }

  @Put('refreshToken')
  @UseGuards(RateLimitGuard)
  @ApiOperation({ operationId: 'enduserRefreshToken', summary: 'Trade a refresh token for a new pair (rotation)' })
  @ApiEnduserParameters('refreshToken')
  @ApiEnduserResponses(TOKEN_PAIR, [
    ...TRANSPORT_ERRORS,
    C.RATE_LIMITED,
    E.REFRESH_TOKEN_REQUIRED,
    C.REFRESH_TOKEN_INVALID,
    C.ACCOUNT_DISABLED,
    ...SERVER_ERRORS,
  ])
  async refresh(@Query() query: unknown, @Body() body: unknown) {
    return ok(await this.account.refresh(EnduserParams.from(query, body)));
  }

  @Get('userInfo')
  @Authenticated()
  @ApiOperation({ operationId: 'enduserUserInfo', summary: "The signed-in user's information" })
  @ApiEnduserResponses(USER_INFO, [...TOKEN_ERRORS, ...SERVER_ERRORS])
  userInfo(@SignedIn() signedIn: SignedInEnduser) {
    return ok(this.account.userInfo(signedIn));
  }

  @Put('setUserInfo')
  @Authenticated()
  @ApiOperation({ operationId: 'enduserSetUserInfo', summary: "Change the signed-in user's information; absent fields stay" })
  @ApiEnduserParameters(
    'nikeName',
    'sex',
    'headImage',
    'address',
    'province',
    'city',
    'personalSignature',
    'remark',
    'lang',
    'nationality',
    'timezone',
  )
  @ApiEnduserResponses(NO_DATA, [
    ...TRANSPORT_ERRORS,
    ...TOKEN_ERRORS,
    E.NICKNAME_TOO_LONG,
    E.ADDRESS_TOO_LONG,
    E.PROVINCE_TOO_LONG,
    E.CITY_TOO_LONG,
    E.PERSONAL_SIGNATURE_TOO_LONG,
    E.REMARK_TOO_LONG,
    E.SEX_INVALID,
    E.USER_INFO_INVALID,
    E.TIMEZONE_INVALID,
    E.NATIONALITY_INVALID,
    E.LANGUAGE_INVALID,
    ...SERVER_ERRORS,
  ])
  async setUserInfo(@SignedIn() signedIn: SignedInEnduser, @Query() query: unknown, @Body() body: unknown) {
    await this.account.setUserInfo(signedIn, EnduserParams.from(query, body));
    return ok(null);
  }

  @Put('setUserPwd')
  @Authenticated()
  @UseGuards(RateLimitGuard)
  @ApiOperation({ operationId: 'enduserSetUserPwd', summary: 'Change the password; every token of the user ends, this one too' })
  @ApiEnduserParameters('oldPwd', 'newPwd', 'random')
  @ApiEnduserResponses(NO_DATA, [
    ...TRANSPORT_ERRORS,
    C.RATE_LIMITED,
    ...TOKEN_ERRORS,
    E.OLD_PASSWORD_REQUIRED,
    E.NEW_PASSWORD_REQUIRED,
    E.OLD_PASSWORD_DECRYPTION_FAILED,
    E.OLD_PASSWORD_INVALID,
    E.NEW_PASSWORD_DECRYPTION_FAILED,
    E.NEW_PASSWORD_INVALID,
    E.PASSWORD_UNCHANGED,
    E.OLD_PASSWORD_WRONG,
    C.LOGIN_LOCKED,
    ...SERVER_ERRORS,
  ])
  async setUserPwd(@SignedIn() signedIn: SignedInEnduser, @Query() query: unknown, @Body() body: unknown, @CountedClient() client: string) {
    await this.account.setUserPwd(signedIn, EnduserParams.from(query, body), client);
    return ok(null);
  }

  @Put('userPwdReset')
  @UseGuards(RateLimitGuard)
  @ApiOperation({ operationId: 'enduserUserPwdReset', summary: 'Reset the password with a code from sendEmail emailType=2' })
  @ApiEnduserParameters('userDomain', 'resetEmail', 'resetCode', 'resetPwd', 'random')
  @ApiEnduserResponses(NO_DATA, [
    ...TRANSPORT_ERRORS,
    C.RATE_LIMITED,
    C.TENANT_REQUIRED,
    E.EMAIL_OR_PHONE_REQUIRED,
    C.VERIFICATION_CODE_REQUIRED,
    C.PASSWORD_REQUIRED,
    E.TENANT_INVALID,
    C.EMAIL_INVALID,
    E.PASSWORD_DECRYPTION_FAILED,
    C.PASSWORD_INVALID,
    C.PASSWORD_TOO_WEAK,
    C.TENANT_NOT_FOUND,
    C.TENANT_DISABLED,
    E.EMAIL_NOT_REGISTERED,
    C.VERIFICATION_CODE_INVALID,
    ...SERVER_ERRORS,
  ])
  async userPwdReset(@Query() query: unknown, @Body() body: unknown) {
    await this.account.resetPassword(EnduserParams.from(query, body));
    return ok(null);
  }

  @Delete('userLogout')
  @Authenticated()
  @ApiOperation({ operationId: 'enduserUserLogout', summary: 'Sign out: every token of the user ends' })
  @ApiEnduserResponses(NO_DATA, [...TOKEN_ERRORS, ...SERVER_ERRORS])
  async logout(@SignedIn() signedIn: SignedInEnduser) {
    await this.account.logout(signedIn);
    return ok(null);
  }

  @Delete('userDelete')
  @Authenticated()
  @ApiOperation({
    operationId: 'enduserUserDelete',
    summary: 'Delete the account now (type 1) or in 7 days unless the user signs in (type 2)',
  })
  @ApiEnduserParameters('type')
  @ApiEnduserResponses(NO_DATA, [...TRANSPORT_ERRORS, ...TOKEN_ERRORS, E.DELETE_TYPE_INVALID, ...SERVER_ERRORS])
  async userDelete(@SignedIn() signedIn: SignedInEnduser, @Query() query: unknown, @Body() body: unknown) {
    await this.account.deleteAccount(signedIn, EnduserParams.from(query, body));
    return ok(null);
  }
}

/** The public keys enduser tokens verify with (RFC 7517), for services that check the tokens themselves. */
@ApiTags('enduser (Quectel IoT enduser OpenAPI)')
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: SigningKeysService) {}

  @Get('jwks.json')
  @ApiOperation({ operationId: 'enduserJwks', summary: 'JWK Set of the keys that sign or still verify enduser tokens' })
  @ApiOkResponse({
    schema: {
      type: 'object',
      required: ['keys'],
      properties: {
        keys: {
          type: 'array',
          items: {
            type: 'object',
            properties: { kty: text('RSA'), n: text(), e: text('AQAB'), kid: text(), use: text('sig'), alg: text('RS256') },
          },
        },
      },
    },
  })
  @ApiServiceUnavailableResponse({ description: 'the database does not answer', schema: GENERIC_ERROR })
  @ApiInternalServerErrorResponse({ description: 'an internal failure', schema: GENERIC_ERROR })
  jwks() {
    return this.keys.jwks();
  }
}
