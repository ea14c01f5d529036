import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

export class NationalCountQuery {
  @ApiProperty({ example: 2024 })
  @Type(() => Number)
  @IsInt({ message: 'must be a year between 1990 and 2100' })
  @Min(1990, { message: 'must be a year between 1990 and 2100' })
  @Max(2100, { message: 'must be a year between 1990 and 2100' })
  year!: number;

  @ApiPropertyOptional({ enum: ['json', 'csv', 'xlsx'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv', 'xlsx'], { message: 'must be json, csv or xlsx' })
  format?: 'json' | 'csv' | 'xlsx';
}

export class RetentionDto {
  @ApiProperty({
    nullable: true,
    example: 36,
    description: 'Months after exit before participant rows are deleted; null: the installation default',
  })
  @IsOptional()
  @IsInt({ message: 'must be a whole number of months' })
  @Min(1, { message: 'must be between 1 and 1200 months' })
  @Max(1200, { message: 'must be between 1 and 1200 months' })
  retentionMonths!: number | null;
}
