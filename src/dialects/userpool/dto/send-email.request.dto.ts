import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsIn } from 'class-validator';
import { DomainErrorCode } from '../../../error-codes/domain-error-code.enum';
import { errorCode } from '../../../error-codes/domain-validation.pipe';
import { EmailField } from './userpool-fields.decorators';

/** Authing's email scenes this service sends codes for. */
export const EMAIL_SCENES = [
  'VERIFY_CODE',
  'REGISTER_VERIFY_CODE',
  'LOGIN_VERIFY_CODE',
  'RESET_PASSWORD_VERIFY_CODE',
  'RESET_PASSWORD',
] as const;
export type EmailScene = (typeof EMAIL_SCENES)[number];

const sceneUnsupported = { context: errorCode(DomainErrorCode.VERIFICATION_TYPE_UNSUPPORTED) };

/** Field order is check order: the first failing field decides the error code. */
export class SendEmailRequestDto {
  @EmailField()
  email: string;

  @ApiProperty({
    enum: EMAIL_SCENES,
    description:
      'REGISTER_VERIFY_CODE: a code for register/email-code; LOGIN_VERIFY_CODE: for login/email-code; ' +
      'RESET_PASSWORD_VERIFY_CODE or RESET_PASSWORD: for password/reset/email; VERIFY_CODE: a login code to a user of the pool, a registration code to a new address',
  })
  @IsDefined(sceneUnsupported)
  @IsIn(EMAIL_SCENES, sceneUnsupported)
  scene: EmailScene;
}
