import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { IMPORT_ERROR_CODES, IMPORT_PROBLEM_CODES } from '@app/domain';

export class StartImportDto {
  @ApiProperty({ description: 'The association the rows belong to' })
  @IsUUID('all', { message: 'must be an id' })
  associationId!: string;
}

/** The multipart upload as multer hands it over (memory storage). */
export interface UploadedImportFile {
  originalname: string;
  size: number;
  buffer: Buffer;
}

export class ImportProgressView {
  @ApiPropertyOptional({ nullable: true, description: 'Data rows in the file, once known' }) rows!:
    number | null;
  @ApiProperty() processed!: number;
}

export class ImportProblemView {
  @ApiProperty({ description: 'Row as a spreadsheet shows it (the header is row 1)' }) row!: number;
  @ApiProperty({ description: 'The column heading as written in the file' }) column!: string;
  @ApiProperty() message!: string;
  @ApiPropertyOptional({
    enum: IMPORT_PROBLEM_CODES,
    description: 'Stable code of the problem (absent on problems found before codes existed)',
  })
  code?: string;
  @ApiPropertyOptional({ type: Object, description: 'The values the message names, by name' })
  params?: object;
}

export class ImportSummaryView {
  @ApiProperty() created!: number;
  @ApiProperty() exited!: number;
  @ApiProperty() unchanged!: number;
}

export class ImportView {
  @ApiProperty() id!: string;
  @ApiProperty() associationId!: string;
  @ApiProperty() filename!: string;
  @ApiProperty({ enum: ['validating', 'validated', 'committing', 'done', 'failed'] }) status!: string;
  @ApiProperty({ type: ImportProgressView }) progress!: ImportProgressView;
  @ApiProperty({ type: [ImportProblemView], description: 'The first 1000 problems' })
  problems!: ImportProblemView[];
  @ApiProperty() problemCount!: number;
  @ApiPropertyOptional({
    type: ImportSummaryView,
    nullable: true,
    description: 'After validation: what a commit would do; after the commit: what it did',
  })
  summary!: ImportSummaryView | null;
  @ApiPropertyOptional({ nullable: true }) error!: string | null;
  @ApiPropertyOptional({ enum: IMPORT_ERROR_CODES, nullable: true, description: 'Stable code of the error' })
  errorCode!: string | null;
  @ApiPropertyOptional({ type: Object, nullable: true, description: 'The values the error names, by name' })
  errorParams!: object | null;
  @ApiProperty() createdAt!: string;
  @ApiPropertyOptional({ nullable: true }) finishedAt!: string | null;
}
