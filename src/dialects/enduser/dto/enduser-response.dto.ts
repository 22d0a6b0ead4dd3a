import { ApiProperty } from '@nestjs/swagger';

/** `{code, msg, data: null, extMsg}`: HTTP 200 for business errors, a real HTTP status for transport-level ones. */
export class EnduserErrorResponseDto {
  @ApiProperty({
    type: 'integer',
    example: 5039,
    description: "Quectel's code (or unireg's own above 5400); each response's description lists them",
  })
  code: number;

  @ApiProperty({ example: 'Email already registered', description: 'English, Chinese when Accept-Language starts with zh' })
  msg: string;

  @ApiProperty({ type: Object, nullable: true, example: null, description: 'always null' })
  data: null;

  @ApiProperty({ example: '', description: 'the parameter at fault for code 400, else empty' })
  extMsg: string;
}

/** An entry of getLanguageList (ISO 639-1) or getNationalityList (ISO 3166-1). */
export class EnduserReferenceItemDto {
  @ApiProperty({ type: 'integer', example: 1 }) id: number;
  @ApiProperty({ example: 'zh' }) code: string;
  @ApiProperty({ example: 'Chinese', description: 'Chinese when Accept-Language starts with zh' }) name: string;
}

export class EnduserTimezoneDto {
  @ApiProperty({ type: 'integer', example: 1 }) id: number;
  @ApiProperty({ example: 'Asia/Shanghai' }) zone: string;
  @ApiProperty({ type: String, nullable: true, example: '+08:00', description: 'the current UTC offset' }) offset: string | null;
}
