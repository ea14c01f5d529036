import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsCleanText, IsText } from '@app/http/validators';

export class ExportTargetDto {
  @ApiProperty({ enum: ['intervention', 'association', 'region'] })
  @IsIn(['intervention', 'association', 'region'], {
    message: 'must be one of: intervention, association, region',
  })
  type!: 'intervention' | 'association' | 'region';
  @ApiPropertyOptional({ description: 'The intervention or association (not for a region)' })
  @IsOptional()
  @IsUUID('all', { message: 'must be an id' })
  id?: string;
  @ApiPropertyOptional({ type: [String], description: "A chosen set of the association's interventions" })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true, message: 'must be a list of ids' })
  interventionIds?: string[];
  @ApiPropertyOptional({
    type: [String],
    description: 'The associations of a region (default: all in your scope)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true, message: 'must be a list of ids' })
  associationIds?: string[];
  @ApiPropertyOptional({ description: 'Name of a chosen set (also in the file name)' })
  @IsOptional()
  @IsText({ maxLength: 200 })
  name?: string;
}

export class RequestExportDto {
  @ApiProperty({ type: ExportTargetDto })
  @IsDefined({ message: 'is required' })
  @IsObject({ message: 'must be an object' })
  @ValidateNested()
  @Type(() => ExportTargetDto)
  target!: ExportTargetDto;
  @ApiProperty({ example: '2024' })
  @IsString({ message: 'must be a period code' })
  @IsCleanText()
  @MaxLength(20, { message: 'must be a period code' })
  period!: string;
  @ApiProperty({ enum: ['xlsx', 'csv'] })
  @IsIn(['xlsx', 'csv'], { message: 'must be one of: xlsx, csv' })
  format!: 'xlsx' | 'csv';
  @ApiPropertyOptional({ description: 'Apply disclosure control (for publication)' })
  @IsOptional()
  @IsBoolean()
  publication?: boolean;
}

export class ExportStatusView {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['queued', 'running', 'done', 'failed'] }) status!: string;
  @ApiPropertyOptional({ nullable: true }) filename!: string | null;
  @ApiPropertyOptional({ nullable: true }) error!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiPropertyOptional({ nullable: true }) finishedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'Where to download the file once done' }) download!:
    string | null;
}
