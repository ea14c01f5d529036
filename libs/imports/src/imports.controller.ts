import { Body, Controller, Get, HttpCode, Param, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { AccessScope } from '@app/access/access-scope';
import { Can, Scope } from '@app/access/access.decorators';
import { IdPipe } from '@app/http/id.pipe';
import { ImportUploadLimit } from './import-upload.interceptor';
import { ImportView, StartImportDto, type UploadedImportFile } from './imports.dto';
import { ImportsService } from './imports.service';

/** Bulk import of enrolments and exits: upload (validated by the worker as a dry run), then commit. */
@ApiTags('imports')
@ApiBearerAuth()
@Controller('api/v1/imports')
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Post()
  @HttpCode(202)
  @Can('importEnrolments')
  @UseInterceptors(ImportUploadLimit, FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file', 'associationId'],
      properties: {
        file: { type: 'string', format: 'binary' },
        associationId: { type: 'string', format: 'uuid' },
      },
    },
  })
  @ApiAcceptedResponse({ type: ImportView })
  upload(
    @Scope() scope: AccessScope,
    @Body() dto: StartImportDto,
    @UploadedFile() file: UploadedImportFile | undefined,
  ): Promise<ImportView> {
    return this.imports.upload(scope, dto.associationId, file);
  }

  @Get(':id')
  @Can('importEnrolments')
  @ApiOkResponse({ type: ImportView })
  status(@Scope() scope: AccessScope, @Param('id', new IdPipe('id')) id: string): Promise<ImportView> {
    return this.imports.status(scope, id);
  }

  @Post(':id/commit')
  @HttpCode(202)
  @Can('importEnrolments')
  @ApiAcceptedResponse({ type: ImportView })
  commit(@Scope() scope: AccessScope, @Param('id', new IdPipe('id')) id: string): Promise<ImportView> {
    return this.imports.commit(scope, id);
  }
}
