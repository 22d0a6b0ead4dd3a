import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, ValidateNested } from 'class-validator';
import { EmailSignupDto, NamePasswordDto } from './credentials.dto';
import { DeviceFieldsDto } from './device-fields.dto';

/** Exactly one of `name_password` and `email_password`, plus optional device fields. */
export class SignupRequestDto extends DeviceFieldsDto {
  @ApiPropertyOptional({ type: NamePasswordDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => NamePasswordDto)
  name_password?: NamePasswordDto;

  @ApiPropertyOptional({ type: EmailSignupDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => EmailSignupDto)
  email_password?: EmailSignupDto;
}
