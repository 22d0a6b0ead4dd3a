import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, ValidateNested } from 'class-validator';
import { EmailPasswordDto, NamePasswordDto } from './credentials.dto';

/** Exactly one of `name_password` and `email_password`. */
export class LoginRequestDto {
  @ApiPropertyOptional({ type: NamePasswordDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => NamePasswordDto)
  name_password?: NamePasswordDto;

  @ApiPropertyOptional({ type: EmailPasswordDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => EmailPasswordDto)
  email_password?: EmailPasswordDto;
}
