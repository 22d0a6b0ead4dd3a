import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, IsUrl, Matches, MaxLength } from 'class-validator';
import { IsCleanText } from '../../../users/text-field.validator';

/** The seed's user fields a client may set at registration; any other key, and any control or bidi-override character, is refused. */
export class UserpoolProfileDto {
  @ApiPropertyOptional() @IsCleanText() @IsOptional() @IsString() @MaxLength(64) nickname?: string;
  @ApiPropertyOptional() @IsCleanText() @IsOptional() @IsString() @MaxLength(128) name?: string;
  @ApiPropertyOptional() @IsCleanText() @IsOptional() @IsString() @MaxLength(128) displayName?: string;
  @ApiPropertyOptional({ example: '+8613800000000' })
  @IsCleanText()
  @IsOptional()
  @Matches(/^\+?[0-9][0-9 -]{3,30}$/)
  phone?: string;
  @ApiPropertyOptional() @IsCleanText() @IsOptional() @IsString() @MaxLength(128) company?: string;
  @ApiPropertyOptional()
  @IsCleanText()
  @IsOptional()
  @IsUrl({ require_protocol: true, protocols: ['http', 'https'] })
  @MaxLength(1024)
  photo?: string;
  @ApiPropertyOptional()
  @IsCleanText()
  @IsOptional()
  @IsUrl({ require_protocol: true, protocols: ['http', 'https'] })
  @MaxLength(1024)
  website?: string;
  @ApiPropertyOptional() @IsCleanText() @IsOptional() @IsIn(['M', 'F', 'U']) gender?: string;
  @ApiPropertyOptional({ format: 'date', example: '1990-01-31' })
  @IsCleanText()
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  birthdate?: string;
  @ApiPropertyOptional() @IsCleanText() @IsOptional() @IsString() @MaxLength(64) folk?: string;
  @ApiPropertyOptional() @IsCleanText() @IsOptional() @IsString() @MaxLength(64) education?: string;
  @ApiPropertyOptional({ example: 'Asia/Shanghai' }) @IsCleanText() @IsOptional() @IsString() @MaxLength(64) zoneinfo?: string;
  @ApiPropertyOptional({ example: 'zh-CN' })
  @IsCleanText()
  @IsOptional()
  @Matches(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/)
  locale?: string;
  @ApiPropertyOptional() @IsCleanText() @IsOptional() @IsString() @MaxLength(255) address?: string;
  @ApiPropertyOptional() @IsCleanText() @IsOptional() @IsString() @MaxLength(255) formatted?: string;
  @ApiPropertyOptional() @IsCleanText() @IsOptional() @IsString() @MaxLength(255) streetAddress?: string;
  @ApiPropertyOptional() @IsCleanText() @IsOptional() @IsString() @MaxLength(128) locality?: string;
  @ApiPropertyOptional() @IsCleanText() @IsOptional() @IsString() @MaxLength(128) region?: string;
  @ApiPropertyOptional() @IsCleanText() @IsOptional() @IsString() @MaxLength(32) postalCode?: string;
  @ApiPropertyOptional() @IsCleanText() @IsOptional() @IsString() @MaxLength(128) city?: string;
  @ApiPropertyOptional() @IsCleanText() @IsOptional() @IsString() @MaxLength(128) province?: string;
  @ApiPropertyOptional() @IsCleanText() @IsOptional() @IsString() @MaxLength(128) country?: string;
}
