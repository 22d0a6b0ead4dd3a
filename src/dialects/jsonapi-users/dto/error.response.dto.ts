import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The documented shape of every error document of this dialect. */
export class ErrorSourceDto {
  @ApiProperty({ example: '/data/attributes/username' })
  pointer: string;
}

export class ErrorObjectDto {
  @ApiProperty({ example: '422', description: 'The HTTP status, as a string' })
  status: string;

  @ApiProperty({ example: 'validation_error' })
  code: string;

  @ApiProperty({
    type: [String],
    example: ['用户名 已经存在。'],
    description: 'Messages (an array, as Discuz! Q sends them; clients show the first); Chinese unless Accept-Language asks for English',
  })
  detail: string[];

  @ApiPropertyOptional({ type: ErrorSourceDto, description: 'The attribute at fault' })
  source?: ErrorSourceDto;
}

export class ErrorDocumentDto {
  @ApiProperty({ type: [ErrorObjectDto], description: 'One object per failing attribute' })
  errors: ErrorObjectDto[];
}
