import { Body, Controller, Get, Header, Param, Post, Query, Redirect, UseGuards } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiQuery,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { DomainErrorCode as C } from '../../../error-codes/domain-error-code.enum';
import { RateLimitGuard } from '../../../rate-limit/rate-limit.guard';
import { JsonApiRequestPipe, RequestAttributes } from '../dto/jsonapi-request.pipe';
import { TokenDocumentDto } from '../dto/token.response.dto';
import { ApiErrors, BODY_ERRORS, JsonApiBody } from '../jsonapi-routes';
import { JSON_API_MEDIA_TYPE, JsonApiUsersErrorCode as J } from '../jsonapi-users.error-map';
import { MiniProgramLoginRequestDto } from './dto/mini-program-login.request.dto';
import { PcLoginDocumentDto, PcQrCodeDocumentDto } from './dto/wechat.response.dto';
import { WechatSignInService } from './wechat-sign-in.service';

/** What a WeChat call may answer besides success. */
const WECHAT_ERRORS = [J.WECHAT_CODE_INVALID, J.WECHAT_APP_INVALID, J.WECHAT_REFUSED, J.WECHAT_UNAVAILABLE] as const;
/** What a sign-in that may register answers besides the token document. */
const SIGN_IN_ERRORS = [
  J.NO_BIND_USER,
  J.ACCOUNT_HAS_BEEN_BOUND,
  J.REGISTRATION_CLOSED,
  J.INVITE_CODE_REQUIRED,
  J.INVITE_CODE_INVALID,
  C.REGISTRATION_PENDING_REVIEW,
  C.ACCOUNT_PENDING_REVIEW,
  C.ACCOUNT_REJECTED,
  C.ACCOUNT_DISABLED,
] as const;

/** Discuz! Q's WeChat sign-in (docs/dialects/jsonapi-users.md#wechat); I/O only, the rules are WechatSignInService's. */
@ApiTags('jsonapi-users (Discuz! Q JSON:API)')
@ApiProduces(JSON_API_MEDIA_TYPE)
@ApiExtraModels(TokenDocumentDto, PcLoginDocumentDto)
@Controller('api/oauth/wechat')
export class WechatController {
  constructor(private readonly wechat: WechatSignInService) {}

  @Get()
  @UseGuards(RateLimitGuard)
  @Redirect(undefined, 302)
  @ApiOperation({
    operationId: 'jsonApiWechatAuthorize',
    summary: "Sends the browser to the official account's WeChat authorization, which comes back with code and state",
  })
  @ApiQuery({
    name: 'redirect',
    required: false,
    description: 'The client page WeChat returns to: PUBLIC_URL or a CORS origin, or a path on PUBLIC_URL',
  })
  @ApiQuery({
    name: 'sessionId',
    required: false,
    description: "The client's own session id; /api/oauth/wechat/user must then name the same",
  })
  @ApiQuery({
    name: 'session_token',
    required: false,
    description: 'A PC QR login (the URL in its QR code): WeChat returns to /api/oauth/wechat/user',
  })
  @ApiFoundResponse({
    description: "WeChat's authorization page",
    headers: {
      Location: { description: 'WECHAT_OPEN_URL/connect/oauth2/authorize?appid=...&state=...#wechat_redirect', schema: { type: 'string' } },
    },
  })
  @ApiErrors(C.RATE_LIMITED, C.VALIDATION_FAILED, J.WECHAT_NOT_CONFIGURED, J.WECHAT_REDIRECT_INVALID, J.PC_QRCODE_TIME_OUT)
  async authorize(@Query() query: Record<string, unknown>) {
    return { url: await this.wechat.authorizeUrl(query) };
  }

  @Get('user')
  @UseGuards(RateLimitGuard)
  @Header('Content-Type', JSON_API_MEDIA_TYPE)
  @ApiOperation({
    operationId: 'jsonApiWechatUser',
    summary: "WeChat's authorization came back: the bound user's token document, a registration (register=1), or no_bind_user",
  })
  @ApiQuery({ name: 'code', description: "WeChat's authorization code" })
  @ApiQuery({ name: 'state', description: 'The state /api/oauth/wechat issued' })
  @ApiQuery({ name: 'sessionId', required: false, description: 'The sessionId given to /api/oauth/wechat, if one was' })
  @ApiQuery({ name: 'session_token', required: false, description: 'The PC QR login being completed (set by /api/oauth/wechat)' })
  @ApiQuery({ name: 'register', required: false, description: '1: an unbound WeChat user is registered and bound (open sites)' })
  @ApiQuery({
    name: 'rebind',
    required: false,
    description: '1: answer rebind_mp_wechat with a session token to bind at login or register',
  })
  @ApiQuery({ name: 'inviteCode', required: false, description: 'An invite code for register=1' })
  @ApiOkResponse({
    description: 'The token document, or for the phone of a PC QR login the wechat_pc_login document',
    schema: { oneOf: [{ $ref: getSchemaPath(TokenDocumentDto) }, { $ref: getSchemaPath(PcLoginDocumentDto) }] },
  })
  @ApiErrors(
    C.RATE_LIMITED,
    C.VALIDATION_FAILED,
    J.WECHAT_NOT_CONFIGURED,
    J.WECHAT_STATE_INVALID,
    J.PC_QRCODE_TIME_OUT,
    J.REBIND_MP_WECHAT,
    ...WECHAT_ERRORS,
    ...SIGN_IN_ERRORS,
  )
  callback(@Query() query: Record<string, unknown>) {
    return this.wechat.callback(query);
  }

  @Get('pc/qrcode')
  @UseGuards(RateLimitGuard)
  @Header('Content-Type', JSON_API_MEDIA_TYPE)
  @ApiOperation({ operationId: 'jsonApiWechatPcQrCode', summary: 'A PC QR login: its session token and the QR code the phone scans' })
  @ApiOkResponse({ type: PcQrCodeDocumentDto })
  @ApiErrors(C.RATE_LIMITED, J.WECHAT_NOT_CONFIGURED)
  pcQrCode() {
    return this.wechat.pcQrCode();
  }

  @Get('pc/login/:session_token')
  @Header('Content-Type', JSON_API_MEDIA_TYPE)
  @ApiOperation({
    operationId: 'jsonApiWechatPcLogin',
    summary: 'Polls a PC QR login: pc_qrcode_scanning_code, then once the token document or no_bind_user',
  })
  @ApiParam({ name: 'session_token', description: 'From /api/oauth/wechat/pc/qrcode' })
  @ApiOkResponse({ type: TokenDocumentDto })
  @ApiErrors(J.PC_QRCODE_SCANNING, J.PC_QRCODE_TIME_OUT, J.NO_BIND_USER, C.ACCOUNT_PENDING_REVIEW, C.ACCOUNT_REJECTED, C.ACCOUNT_DISABLED)
  pcLogin(@Param('session_token') token: string) {
    return this.wechat.pcPoll(token);
  }

  @Post('miniprogram')
  @JsonApiBody(MiniProgramLoginRequestDto)
  @ApiOperation({
    operationId: 'jsonApiWechatMiniProgram',
    summary: "The mini program's login: the bound user's token document, a registration (register: 1), or no_bind_user",
  })
  @ApiOkResponse({ type: TokenDocumentDto })
  @ApiErrors(
    ...BODY_ERRORS,
    C.VALIDATION_FAILED,
    J.WECHAT_NOT_CONFIGURED,
    J.WECHAT_DECRYPT_FAILED,
    J.WECHAT_WATERMARK_INVALID,
    ...WECHAT_ERRORS,
    ...SIGN_IN_ERRORS,
  )
  miniProgram(@Body(new JsonApiRequestPipe()) attributes: RequestAttributes) {
    return this.wechat.miniProgram(attributes);
  }
}
