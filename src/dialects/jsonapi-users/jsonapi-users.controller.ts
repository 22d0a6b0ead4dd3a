import { Body, Controller, Get, Header, Headers, Inject, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { DomainErrorCode as C } from '../../error-codes/domain-error-code.enum';
import { CountsRegistration } from '../../metrics/registration-routes';
import { User } from '../../users/entities/user.entity';
import { ForumDocumentDto } from './dto/forum.response.dto';
import { JsonApiRequestPipe, RequestAttributes } from './dto/jsonapi-request.pipe';
import { LoginRequestDto } from './dto/login.request.dto';
import { RefreshTokenRequestDto } from './dto/refresh-token.request.dto';
import { RegisterRequestDto } from './dto/register.request.dto';
import { TokenDocumentDto } from './dto/token.response.dto';
import { UserDocumentDto } from './dto/user.response.dto';
import { JSON_API_MEDIA_TYPE, JsonApiUsersErrorCode as J } from './jsonapi-users.error-map';
import { ApiErrors, BODY_ERRORS, JsonApiBody } from './jsonapi-routes';
import { JsonApiBearerGuard, Viewer, ViewerFamily } from './jsonapi-users.guard';
import { UserUpdateRequestDto } from './dto/user-update.request.dto';
import { PasswordChangeService } from './password-change.service';
import { JsonApiUsersService } from './jsonapi-users.service';
import { CountedClient } from '../../rate-limit/client-address';

/** Comma-separated include paths; unknown ones are ignored, as the web client asks for some unireg does not serve. */
const includePaths = (include: unknown): string[] =>
  [include]
    .flat()
    .filter((value): value is string => typeof value === 'string')
    .flatMap((value) => value.split(','))
    .map((path) => path.trim());

@ApiTags('jsonapi-users (Discuz! Q JSON:API)')
@ApiProduces(JSON_API_MEDIA_TYPE)
@Controller('api')
export class JsonApiUsersController {
  constructor(
    private readonly jsonApi: JsonApiUsersService,
    private readonly passwords: PasswordChangeService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('register')
  @CountsRegistration()
  @JsonApiBody(RegisterRequestDto)
  @ApiOperation({
    operationId: 'jsonApiRegister',
    summary: 'Register with username and password; answers the token document (or 401 register_validate in review mode)',
  })
  @ApiOkResponse({ type: TokenDocumentDto })
  @ApiErrors(
    ...BODY_ERRORS,
    J.RESOURCE_TYPE_CONFLICT,
    J.REGISTRATION_CLOSED,
    C.USERNAME_REQUIRED,
    C.USERNAME_INVALID,
    C.USERNAME_TAKEN,
    J.USERNAME_RESERVED,
    J.CONTENT_BANNED,
    C.PASSWORD_REQUIRED,
    C.PASSWORD_INVALID,
    C.PASSWORD_TOO_WEAK,
    C.PASSWORD_TOO_LONG,
    C.VALIDATION_FAILED,
    J.REGISTER_REASON_REQUIRED,
    J.INVITE_CODE_REQUIRED,
    J.INVITE_CODE_INVALID,
    C.REGISTRATION_PENDING_REVIEW,
  )
  register(@Body(new JsonApiRequestPipe('users')) attributes: RequestAttributes) {
    return this.jsonApi.register(attributes);
  }

  @Post('login')
  @JsonApiBody(LoginRequestDto)
  @ApiOperation({ operationId: 'jsonApiLogin', summary: 'Log in with username and password; answers the token document' })
  @ApiOkResponse({ type: TokenDocumentDto })
  @ApiErrors(
    ...BODY_ERRORS,
    C.USERNAME_REQUIRED,
    C.PASSWORD_REQUIRED,
    C.VALIDATION_FAILED,
    C.CREDENTIALS_INVALID,
    C.LOGIN_LOCKED,
    C.ACCOUNT_PENDING_REVIEW,
    C.ACCOUNT_REJECTED,
    C.ACCOUNT_DISABLED,
  )
  login(@Body(new JsonApiRequestPipe()) attributes: RequestAttributes, @CountedClient() client: string) {
    return this.jsonApi.login(attributes, client);
  }

  @Post('refresh-token')
  @JsonApiBody(RefreshTokenRequestDto)
  @ApiOperation({
    operationId: 'jsonApiRefreshToken',
    summary: 'Exchange a refresh token (single use) for a new token document; reusing one revokes its whole family',
  })
  @ApiOkResponse({ type: TokenDocumentDto })
  @ApiErrors(...BODY_ERRORS, C.VALIDATION_FAILED, C.REFRESH_TOKEN_INVALID, C.ACCOUNT_REJECTED, C.ACCOUNT_DISABLED)
  refresh(@Body(new JsonApiRequestPipe()) attributes: RequestAttributes) {
    return this.jsonApi.refresh(attributes);
  }

  @Get('forum')
  @Header('Content-Type', JSON_API_MEDIA_TYPE)
  @ApiOperation({
    operationId: 'jsonApiForum',
    summary: 'Site and registration settings the web client reads before its forms (set_site, set_reg, passport, qcloud)',
  })
  @ApiQuery({ name: 'include', required: false, description: 'Accepted (e.g. users) and ignored' })
  @ApiQuery({ name: 'filter[tag]', required: false, description: 'Accepted (e.g. agreement) and ignored: agreement is always there' })
  @ApiBearerAuth()
  @ApiOkResponse({ type: ForumDocumentDto })
  @ApiErrors()
  forum(@Headers('authorization') authorization: string | undefined) {
    return this.jsonApi.forum(authorization, this.config.server.publicUrl);
  }

  @Get('users/:id')
  @Header('Content-Type', JSON_API_MEDIA_TYPE)
  @UseGuards(JsonApiBearerGuard)
  @ApiOperation({ operationId: 'jsonApiUser', summary: 'A member of the site, for the holder of an access token' })
  @ApiParam({ name: 'id', example: '1' })
  @ApiQuery({
    name: 'include',
    required: false,
    description: "groups adds the included group resources, wechat (one's own resource only) the WeChat binding; other paths are ignored",
  })
  @ApiBearerAuth()
  @ApiOkResponse({ type: UserDocumentDto })
  @ApiErrors(C.UNAUTHORIZED, J.RESOURCE_NOT_FOUND)
  user(@Viewer() viewer: User, @Param('id') id: string, @Query('include') include: unknown) {
    return this.jsonApi.user(viewer, id, includePaths(include));
  }

  @Patch('users/:id')
  @JsonApiBody(UserUpdateRequestDto)
  @UseGuards(JsonApiBearerGuard)
  @ApiOperation({
    operationId: 'jsonApiUpdateUser',
    summary: "Change one's own password; every other session of the user ends",
    description:
      'The web client sends it as POST with `x-http-method-override: patch`, which this path (and no other) takes as PATCH. ' +
      'Without newPassword nothing changes. An account without a password (made by SMS or WeChat) needs no current one.',
  })
  @ApiParam({ name: 'id', example: '1' })
  @ApiBearerAuth()
  @ApiOkResponse({ type: UserDocumentDto })
  @ApiErrors(
    ...BODY_ERRORS,
    C.UNAUTHORIZED,
    J.RESOURCE_NOT_FOUND,
    J.PERMISSION_DENIED,
    J.RESOURCE_TYPE_CONFLICT,
    C.VALIDATION_FAILED,
    C.PASSWORD_REQUIRED,
    C.PASSWORD_INVALID,
    C.PASSWORD_TOO_WEAK,
    C.PASSWORD_TOO_LONG,
    J.PASSWORD_CONFIRMATION_MISMATCH,
    J.NOT_MATCH_USED_PASSWORD,
    J.CANNOT_USE_THE_SAME_PASSWORD,
    C.LOGIN_LOCKED,
  )
  updateUser(
    @Viewer() viewer: User,
    @ViewerFamily() familyId: string,
    @Param('id') id: string,
    @Body(new JsonApiRequestPipe('users')) attributes: RequestAttributes,
    @CountedClient() client: string,
  ) {
    return this.passwords.change(viewer, familyId, id, attributes, client);
  }
}
