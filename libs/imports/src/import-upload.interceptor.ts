import {
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  PayloadTooLargeException,
} from '@nestjs/common';
import { catchError, type Observable } from 'rxjs';
import { AppConfig } from '@config/config.module';

/**
 * Placed before multer's FileInterceptor: turns its terse "File too large" into a message that names the
 * limit, and refuses at once when the declared length already exceeds it (no 50 MB read to find out).
 */
@Injectable()
export class ImportUploadLimit implements NestInterceptor {
  constructor(private readonly config: AppConfig) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const limitMb = this.config.env.IMPORT_MAX_FILE_MB;
    const tooLarge = () =>
      new PayloadTooLargeException(
        `The file is larger than the import limit of ${limitMb} MB; split it into smaller files`,
      );
    const length = Number(
      context.switchToHttp().getRequest<{ headers: Record<string, string> }>().headers['content-length'],
    );
    // Multipart framing adds a few hundred bytes around the file.
    if (Number.isFinite(length) && length > limitMb * 1024 * 1024 + 64 * 1024) throw tooLarge();
    return next.handle().pipe(
      catchError((error: unknown) => {
        throw error instanceof PayloadTooLargeException ? tooLarge() : error;
      }),
    );
  }
}
