import { Logger, type OnModuleDestroy } from '@nestjs/common';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { writeXlsx, type ExportMeta, type ExtraSheet } from './report-export';
import type { Table } from './report-tables';

export interface XlsxRequest {
  id: number;
  tables: Table[];
  meta: ExportMeta;
  extraSheets: ExtraSheet[];
}
export type XlsxResponse = { id: number; bytes: Uint8Array } | { id: number; error: string };

/** The compiled worker script beside this file (dist/...); absent when running from TypeScript sources. */
export const XLSX_WORKER_FILE = path.join(__dirname, 'xlsx.worker.js');
// The thread is stopped after this long without work, so an API that exports now and then holds no second heap.
const IDLE_MS = 30_000;

/**
 * Builds XLSX files in one worker thread. exceljs zips through JSZip, which yields to the event loop after every
 * small chunk (about 70 times per export): on the API's busy event loop each of those waits behind every other
 * request, which made a 30 ms workbook take most of a second under load. In its own thread it does not.
 * Where the compiled worker script does not exist (tests run from TypeScript), it builds in-process instead.
 */
export class XlsxWriter implements OnModuleDestroy {
  private readonly logger = new Logger(XlsxWriter.name);
  private worker?: Worker;
  private readonly waiting = new Map<number, { resolve: (b: Buffer) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private idleTimer?: NodeJS.Timeout;

  /** Whether the compiled worker script exists: looked up once, not on every export. */
  private readonly threaded: boolean;

  constructor(private readonly workerFile: string = XLSX_WORKER_FILE) {
    this.threaded = existsSync(workerFile);
  }

  write(tables: Table[], meta: ExportMeta, extraSheets: ExtraSheet[] = []): Promise<Buffer> {
    if (!this.threaded) return writeXlsx(tables, meta, extraSheets);
    const worker = this.thread();
    const id = this.nextId++;
    clearTimeout(this.idleTimer);
    return new Promise<Buffer>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, tables, meta, extraSheets } satisfies XlsxRequest);
    });
  }

  onModuleDestroy(): Promise<void> {
    return this.stop();
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    // Small limits: a workbook of report tables needs a few MiB; the API's own heap stays what it was.
    const worker = new Worker(this.workerFile, {
      env: process.env, // the environment this code sees (a test runner gives each test file its own)
      resourceLimits: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 },
    });
    worker.unref(); // never what keeps the process alive
    worker.on('message', (response: XlsxResponse) => this.settle(response));
    worker.on('error', (error) => this.fail(worker, error));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.fail(worker, new Error(`XLSX thread stopped (exit code ${code})`));
    });
    this.worker = worker;
    return worker;
  }

  private settle(response: XlsxResponse): void {
    const waiter = this.waiting.get(response.id);
    if (!waiter) return;
    this.waiting.delete(response.id);
    if ('error' in response) waiter.reject(new Error(response.error));
    else
      waiter.resolve(
        Buffer.from(response.bytes.buffer, response.bytes.byteOffset, response.bytes.byteLength),
      );
    if (this.waiting.size === 0) {
      this.idleTimer = setTimeout(() => void this.stop(), IDLE_MS);
      this.idleTimer.unref();
    }
  }

  /** A thread that failed (out of memory, a crash) fails what it held; the next export starts a new one. */
  private fail(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.logger.error({ err: error }, 'XLSX thread failed');
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
    void worker.terminate();
  }

  private async stop(): Promise<void> {
    clearTimeout(this.idleTimer);
    const worker = this.worker;
    if (!worker || this.waiting.size > 0) return;
    this.worker = undefined;
    await worker.terminate();
  }
}
