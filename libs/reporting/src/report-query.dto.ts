// The query strings of the report routes as DTOs: the global pipe refuses unknown and repeated parameters
// (`?interventions[]=…` is refused, not ignored), and every text is checked like a body's.
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsCleanText, IsText } from '@app/http/validators';

const ID_LIST = /^[0-9a-fA-F-]{36}(,[0-9a-fA-F-]{36})*$/;

export class ReportQueryDto {
  @ApiPropertyOptional({
    example: '2024-Q3',
    description: '2024, 2024-H1, 2024-Q3, 2024-YTD-Q2 or since-start',
  })
  @IsOptional()
  @IsString({ message: 'must be a period code' })
  @IsCleanText()
  @MaxLength(20, { message: 'must be a period code' })
  period?: string;
}

export class AssociationReportQueryDto extends ReportQueryDto {
  @ApiPropertyOptional({
    description: "Comma-separated ids: a chosen set of the association's interventions",
  })
  @IsOptional()
  @IsString({ message: 'must be a comma-separated list of ids' })
  @Matches(ID_LIST, { message: 'must be a comma-separated list of ids' })
  interventions?: string;

  @ApiPropertyOptional({ description: 'Name of the chosen set, e.g. Samverkansteamen för unga' })
  @IsOptional()
  @IsText({ maxLength: 200 })
  name?: string;
}

export class RegionalReportQueryDto extends ReportQueryDto {
  @ApiPropertyOptional({ description: 'Comma-separated ids; default: every association in your scope' })
  @IsOptional()
  @IsString({ message: 'must be a comma-separated list of ids' })
  @Matches(ID_LIST, { message: 'must be a comma-separated list of ids' })
  associations?: string;
}

const FORMATS = ['xlsx', 'csv', 'json'] as const;
const FLAGS = ['true', 'false'] as const;

export class ExportQueryDto extends ReportQueryDto {
  @ApiPropertyOptional({ enum: FORMATS, description: 'json: the same tables as data' })
  @IsOptional()
  @IsIn(FORMATS, { message: 'must be one of: xlsx, csv, json' })
  format?: (typeof FORMATS)[number];

  @ApiPropertyOptional({ enum: FLAGS, description: 'true: apply disclosure control (for publication)' })
  @IsOptional()
  @IsIn(FLAGS, { message: 'must be true or false' })
  publication?: (typeof FLAGS)[number];
}

export class AssociationExportQueryDto extends ExportQueryDto {
  @ApiPropertyOptional({
    description: "Comma-separated ids: a chosen set of the association's interventions",
  })
  @IsOptional()
  @IsString({ message: 'must be a comma-separated list of ids' })
  @Matches(ID_LIST, { message: 'must be a comma-separated list of ids' })
  interventions?: string;

  @ApiPropertyOptional({ description: 'Name of the chosen set' })
  @IsOptional()
  @IsText({ maxLength: 200 })
  name?: string;
}

export class RegionalExportQueryDto extends ExportQueryDto {
  @ApiPropertyOptional({ description: 'Comma-separated ids; default: every association in your scope' })
  @IsOptional()
  @IsString({ message: 'must be a comma-separated list of ids' })
  @Matches(ID_LIST, { message: 'must be a comma-separated list of ids' })
  associations?: string;
}
