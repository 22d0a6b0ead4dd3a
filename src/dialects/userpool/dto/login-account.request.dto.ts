import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Equals, IsDefined, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateBy } from 'class-validator';
import { DomainErrorCode } from '../../../error-codes/domain-error-code.enum';
import { errorCode } from '../../../error-codes/domain-validation.pipe';
import { PasswordField } from './userpool-fields.decorators';

/** A lone surrogate can be no one's password (registration refuses it with 2000), so it is 2000 here too, not 2333. */
const IsWellFormedPassword = () =>
  ValidateBy(
    { name: 'isWellFormedPassword', validator: { validate: (value) => typeof value !== 'string' || value.isWellFormed() } },
    { context: errorCode(DomainErrorCode.PASSWORD_INVALID) },
  );

/** Field order is check order: the first failing field decides the error code. */
export class LoginAccountRequestDto {
  @ApiProperty({
    example: 'alice@example.com',
    description: 'An email (holds "@"), a mobile (11-digit mainland or +country, spaces and dashes allowed), or a username',
  })
  @IsDefined()
  @IsNotEmpty()
  @IsString()
  @MaxLength(320)
  account: string;

  @PasswordField('The password; a wrong one and an unknown account are both 2333')
  @IsWellFormedPassword()
  password: string;

  @ApiPropertyOptional({ enum: [false], description: "Authing's SDKs send false; registering on login is not offered (true is 2000)" })
  @IsOptional()
  @Equals(false)
  autoRegister?: boolean;
}
