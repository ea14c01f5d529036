import {
  Body,
  Controller,
  Get,
  Param,
  Post,
  Req,
  Res,
  UploadedFile,
  UseFilters,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Can, Public } from '@app/access/access.decorators';
import { WEB_TOOL_LABELS } from '@app/domain';
import type { FieldError } from '@app/http/error-envelope';
import { FieldErrorsException } from '@app/http/field-errors.exception';
import { IdPipe } from '@app/http/id.pipe';
import { ImportUploadLimit } from '@app/imports/import-upload.interceptor';
import type { UploadedImportFile } from '@app/imports/imports.dto';
import { ImportsService } from '@app/imports/imports.service';
import { RegistryService } from '@app/registry/registry.service';
import { text, type FormBody } from './form-input';
import { redirect, sendPage } from './html-response';
import { ImportConfirmPage, ImportStatusPage, ImportUploadPage } from './pages/import.pages';
import { MultipartCsrf, MultipartForm, Session, WebSessionGuard, type WebRequest } from './web-session.guard';
import type { WebSession } from './web-session.service';
import { WebExceptionFilter } from './web-exception.filter';

const E = WEB_TOOL_LABELS.errors;
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Bulk import of enrolments and exits in the browser: upload, progress, problems by row and column, summary
 * and the confirmed commit, all through libs/imports' ImportsService with the caller's scope (a coordinator's
 * rows are limited to their own insatser there, as in the API).
 */
@ApiExcludeController()
@Public()
@UseGuards(WebSessionGuard)
@UseFilters(WebExceptionFilter)
@Can('importEnrolments')
@Controller('import')
export class ImportsPageController {
  constructor(
    private readonly imports: ImportsService,
    private readonly registry: RegistryService,
  ) {}

  @Get()
  async form(@Req() req: WebRequest, @Res() res: Response, @Session() session: WebSession): Promise<void> {
    const [associations, recent] = await Promise.all([
      this.registry.listAssociations(session.scope),
      this.imports.recent(session.scope),
    ]);
    sendPage(req, res, ImportUploadPage({ session, associations, values: {}, recent }));
  }

  @Post()
  @MultipartForm()
  @UseInterceptors(ImportUploadLimit, FileInterceptor('file'), MultipartCsrf)
  async upload(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Session() session: WebSession,
    @Body() body: FormBody,
    @UploadedFile() file: UploadedImportFile | undefined,
  ): Promise<void> {
    const associationId = text(body, 'forbund');
    const errors: FieldError[] = [];
    if (!associationId || !ID.test(associationId)) errors.push({ field: 'forbund', message: E.association });
    if (!file || file.size === 0) errors.push({ field: 'file', message: E.file });
    if (!errors.length) {
      try {
        const view = await this.imports.upload(session.scope, associationId!.toLowerCase(), file);
        return redirect(res, `/import/${view.id}`);
      } catch (error) {
        if (!(error instanceof FieldErrorsException) || error.getStatus() >= 500) throw error;
        errors.push({ field: 'file', message: E.file });
      }
    }
    const [associations, recent] = await Promise.all([
      this.registry.listAssociations(session.scope),
      this.imports.recent(session.scope),
    ]);
    sendPage(
      req,
      res,
      ImportUploadPage({ session, associations, values: { forbund: associationId }, errors, recent }),
      400,
    );
  }

  private async associationName(session: WebSession, id: string): Promise<string> {
    return (await this.registry.getAssociation(session.scope, id)).name;
  }

  @Get(':id')
  async status(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Session() session: WebSession,
    @Param('id', new IdPipe('id')) id: string,
  ): Promise<void> {
    const view = await this.imports.status(session.scope, id);
    const associationName = await this.associationName(session, view.associationId);
    sendPage(req, res, ImportStatusPage({ session, view, associationName }));
  }

  @Get(':id/spara')
  async confirm(
    @Req() req: WebRequest,
    @Res() res: Response,
    @Session() session: WebSession,
    @Param('id', new IdPipe('id')) id: string,
  ): Promise<void> {
    const view = await this.imports.status(session.scope, id);
    if (view.status !== 'validated' || view.problemCount > 0) return redirect(res, `/import/${id}`);
    sendPage(req, res, ImportConfirmPage({ session, view }));
  }

  /** The service refuses a commit while validating, after failure or with problems (409 → error page). */
  @Post(':id/spara')
  async commit(
    @Res() res: Response,
    @Session() session: WebSession,
    @Param('id', new IdPipe('id')) id: string,
  ): Promise<void> {
    await this.imports.commit(session.scope, id);
    redirect(res, `/import/${id}`);
  }
}
