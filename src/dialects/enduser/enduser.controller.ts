import { Body, Controller, Get, HttpCode, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { enduserLanguage } from './enduser-language';
import { EnduserParams } from './enduser-params';
import { languageList, nationalityList, timezoneList } from './enduser-reference.presenter';
import { EnduserService } from './enduser.service';
import { RateLimitGuard } from '../../rate-limit/rate-limit.guard';

const ok = <T>(data: T) => ({ code: 200, msg: 'success', data, extMsg: '' });

const query = (name: string, description: string, required = false, type: 'string' | 'integer' = 'string') =>
  ApiQuery({ name, description, required, type });

@ApiTags('enduser (Quectel IoT enduser OpenAPI)')
@ApiOkResponse({
  description:
    'Always HTTP 200 with `{code, msg, data, extMsg}`: code 200 on success, otherwise the vendor code (see the README ' +
    'table: 5013-5173, 5353, 5441, 5465, 5466, 6084, 6085, 5000). Parameters may also be sent as a form or JSON body.',
})
@Controller()
export class EnduserController {
  constructor(private readonly enduser: EnduserService) {}

  @Post(['v2/enduser/enduserapi/emailPwdRegister', 'v2/enduser/enduserapi/v2/emailPwdRegister'])
  @HttpCode(200)
  @UseGuards(RateLimitGuard)
  @ApiOperation({ summary: 'Register with email, password and an email code; data is the new user id' })
  @query('code', 'email verification code', true)
  @query('email', 'email address', true)
  @query('pwd', 'password: plaintext, or AES-128-CBC/Base64 when random is given', true)
  @query('userDomain', 'user domain, e.g. C.DM.10271.5', true)
  @query('random', 'the random string the pwd key is derived from')
  @query('lang', 'an id from getLanguageList; 0 = unset', false, 'integer')
  @query('nationality', 'an id from getNationalityList; 0 = unset', false, 'integer')
  @query('timezone', 'an id from getTimezoneList; 0 = unset', false, 'integer')
  @query('mcc', 'ITU-T E.212 mobile country code', false, 'integer')
  async register(@Query() params: unknown, @Body() body: unknown) {
    return ok(await this.enduser.register(EnduserParams.from(params, body)));
  }

  @Post('v2/mail/enduserapi/v2/sendEmail')
  @HttpCode(200)
  @UseGuards(RateLimitGuard)
  @ApiOperation({ summary: 'Send an email code; emailType 1 = registration' })
  @query('email', 'email address', true)
  @query('emailType', '1 = registration', true, 'integer')
  @query('userDomain', 'user domain', true)
  async sendEmail(@Query() params: unknown, @Body() body: unknown, @Req() request: Request) {
    await this.enduser.sendRegistrationCode(EnduserParams.from(params, body), { requireEmailType: true, chinese: enduserLanguage(request) === 'zh' });
    return ok(null);
  }

  @Post('v2/enduser/enduserapi/sendEmailRegisterCode')
  @HttpCode(200)
  @UseGuards(RateLimitGuard)
  @ApiOperation({ summary: 'Send a registration code (legacy endpoint)' })
  @query('email', 'email address', true)
  @query('userDomain', 'user domain', true)
  async sendEmailRegisterCode(@Query() params: unknown, @Body() body: unknown, @Req() request: Request) {
    await this.enduser.sendRegistrationCode(EnduserParams.from(params, body), { requireEmailType: false, chinese: enduserLanguage(request) === 'zh' });
    return ok(null);
  }

  @Get('v2/enduser/enduserapi/getLanguageList')
  @ApiOperation({ summary: 'Languages (ISO 639-1) and their ids' })
  getLanguageList(@Req() request: Request) {
    return ok(languageList(enduserLanguage(request) === 'zh'));
  }

  @Get('v2/enduser/enduserapi/getNationalityList')
  @ApiOperation({ summary: 'Countries (ISO 3166-1) and their ids' })
  getNationalityList(@Req() request: Request) {
    return ok(nationalityList(enduserLanguage(request) === 'zh'));
  }

  @Get('v2/enduser/enduserapi/getTimezoneList')
  @ApiOperation({ summary: 'IANA time zones, their ids and current UTC offsets' })
  getTimezoneList() {
    return ok(timezoneList());
  }
}
