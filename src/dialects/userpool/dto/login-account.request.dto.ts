import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Equals, IsDefined, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { PasswordField } from './userpool-fields.decorators';

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
  password: string;

  @ApiPropertyOptional({ enum: [false], description: "Authing's SDKs send false; registering on login is not offered (true is 2000)" })
  @IsOptional()
  @Equals(false)
  autoRegister?: boolean;
}
