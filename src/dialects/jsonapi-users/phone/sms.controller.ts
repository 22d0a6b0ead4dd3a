import { Body, Controller, Headers, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { DomainErrorCode as C } from '../../../error-codes/domain-error-code.enum';
import { JsonApiRequestPipe, RequestAttributes } from '../dto/jsonapi-request.pipe';
import { TokenDocumentDto } from '../dto/token.response.dto';
import { UserDocumentDto } from '../dto/user.response.dto';
import { ApiErrors, BODY_ERRORS, JsonApiBody } from '../jsonapi-routes';
import { JSON_API_MEDIA_TYPE, JsonApiUsersErrorCode as J } from '../jsonapi-users.error-map';
import { SmsSendDocumentDto } from './dto/sms-send.response.dto';
import { SmsSendRequestDto, SmsVerifyRequestDto } from './dto/sms.request.dto';
import { JsonApiSmsService } from './sms-codes.service';

/** What both SMS routes answer before their type is acted on. */
const SMS_REQUEST_ERRORS = [...BODY_ERRORS, C.VALIDATION_FAILED, J.SMS_TYPE_INVALID, J.SMS_DISABLED, C.UNAUTHORIZED, C.PHONE_INVALID];

/** Discuz! Q's SMS codes (`/api/sms/send`, `/api/sms/verify`); any `data.type` or none, as the web client sends them. */
@ApiTags('jsonapi-users (Discuz! Q JSON:API)')
@ApiProduces(JSON_API_MEDIA_TYPE)
@Controller('api/sms')
export class JsonApiSmsController {
  constructor(private readonly sms: JsonApiSmsService) {}

  @Post('send')
  @JsonApiBody(SmsSendRequestDto)
  @ApiOperation({
    operationId: 'jsonApiSmsSend',
    summary: 'Send a 6-digit code by SMS (5 minutes; one per mobile and type each 60 s); bind, rebind and verify need the Bearer token',
  })
  @ApiBearerAuth()
  @ApiOkResponse({ type: SmsSendDocumentDto })
  @ApiErrors(
    ...SMS_REQUEST_ERRORS,
    J.MOBILE_ALREADY_BOUND,
    J.REBIND_UNVERIFIED,
    J.REBIND_SAME_MOBILE,
    J.MOBILE_UNKNOWN,
    J.SMS_INTERVAL,
    C.SMS_DELIVERY_FAILED,
  )
  send(@Body(new JsonApiRequestPipe()) attributes: RequestAttributes, @Headers('authorization') authorization: string | undefined) {
    return this.sms.send(attributes, authorization);
  }

  @Post('verify')
  @JsonApiBody(SmsVerifyRequestDto)
  @ApiOperation({
    operationId: 'jsonApiSmsVerify',
    summary:
      'Spend an SMS code: login answers the token document (or 400 no_bind_user with a mobile token); bind, rebind, reset_pwd and verify the users document',
  })
  @ApiBearerAuth()
  @ApiExtraModels(TokenDocumentDto, UserDocumentDto)
  @ApiOkResponse({
    description: 'login: the token document; the other types: the users document of the user',
    schema: { oneOf: [{ $ref: getSchemaPath(TokenDocumentDto) }, { $ref: getSchemaPath(UserDocumentDto) }] },
  })
  @ApiErrors(
    ...SMS_REQUEST_ERRORS,
    J.SMS_CODE_REQUIRED,
    J.SMS_VERIFY_ERROR,
    J.NO_BIND_USER,
    J.REGISTRATION_CLOSED,
    C.REGISTRATION_PENDING_REVIEW,
    C.ACCOUNT_PENDING_REVIEW,
    C.ACCOUNT_REJECTED,
    C.ACCOUNT_DISABLED,
    J.INVITE_CODE_REQUIRED,
    J.INVITE_CODE_INVALID,
    C.PHONE_TAKEN,
    J.MOBILE_ALREADY_BOUND,
    J.REBIND_UNVERIFIED,
    J.REBIND_SAME_MOBILE,
    J.MOBILE_UNKNOWN,
    C.PASSWORD_REQUIRED,
    C.PASSWORD_INVALID,
    C.PASSWORD_TOO_WEAK,
    C.PASSWORD_TOO_LONG,
    J.CANNOT_USE_THE_SAME_PASSWORD,
  )
  verify(@Body(new JsonApiRequestPipe()) attributes: RequestAttributes, @Headers('authorization') authorization: string | undefined) {
    return this.sms.verify(attributes, authorization);
  }
}
