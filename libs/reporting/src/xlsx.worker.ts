// The worker thread of XlsxWriter (xlsx-writer.ts): builds one workbook per message, off the API's event loop.
import { parentPort } from 'node:worker_threads';
import { writeXlsx } from './report-export';
import type { XlsxRequest, XlsxResponse } from './xlsx-writer';

parentPort!.on('message', (request: XlsxRequest) => {
  writeXlsx(request.tables, request.meta, request.extraSheets).then(
    (buffer) => {
      // A Buffer may be a view into Node's shared pool: copy it into a buffer of its own to transfer it.
      const bytes = new Uint8Array(buffer.byteLength);
      bytes.set(buffer);
      parentPort!.postMessage({ id: request.id, bytes } satisfies XlsxResponse, [bytes.buffer]);
    },
    (error: unknown) =>
      parentPort!.postMessage({
        id: request.id,
        error: error instanceof Error ? error.message : String(error),
      } satisfies XlsxResponse),
  );
});
