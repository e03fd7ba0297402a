// Checks a list of files, in this thread or spread over worker threads. Reports come back in the
// order of the tasks whatever order the workers finish in, so output stays deterministic.
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { WorkerRequest, WorkerResponse } from './check-worker';
import { checkFileOnDisk, CheckTask, FileReport } from './file-report';

/** Below this many files, starting workers (each loads the parser) costs more than it saves. */
export const WORKER_THRESHOLD = 200;

export type ProgressListener = (done: number, total: number) => void;

export function runInThisThread(tasks: readonly CheckTask[], onProgress: ProgressListener): FileReport[] {
  const reports: FileReport[] = [];
  for (const task of tasks) {
    reports.push(checkFileOnDisk(task));
    onProgress(reports.length, tasks.length);
  }
  return reports;
}

interface PoolThread {
  readonly worker: Worker;
  /** The tasks it is working on: their first index and count. */
  batchStart: number;
  batchSize: number;
}

/**
 * Worker threads that check files. `start` may be called early (while the files are still being
 * found) so the threads load the parser in parallel with the search.
 */
export class CheckPool {
  private threads: PoolThread[] = [];
  private failure: Error | undefined;
  private onFailure: ((error: Error) => void) | undefined;
  private onResponse: ((thread: PoolThread, response: WorkerResponse) => void) | undefined;
  private closing = false;

  constructor(readonly size: number) {}

  get started(): boolean {
    return this.threads.length > 0;
  }

  start(): void {
    if (this.started) return;
    for (let i = 0; i < this.size; i++) {
      const thread: PoolThread = { worker: new Worker(path.join(__dirname, 'check-worker.js')), batchStart: 0, batchSize: 0 };
      thread.worker.on('message', (response: WorkerResponse) => this.onResponse?.(thread, response));
      thread.worker.on('error', (error) => this.fail(new Error(`a worker thread failed: ${error.message}`)));
      thread.worker.on('exit', (code) => {
        if (!this.closing) this.fail(new Error(`a worker thread exited unexpectedly (code ${code})`));
      });
      this.threads.push(thread);
    }
  }

  run(tasks: readonly CheckTask[], onProgress: ProgressListener): Promise<FileReport[]> {
    this.start();
    // Small batches keep the threads evenly loaded (file sizes vary a lot) at little messaging cost.
    const batchSize = Math.max(1, Math.min(32, Math.ceil(tasks.length / (this.size * 8))));
    const reports: FileReport[] = new Array(tasks.length);
    let nextTask = 0;
    let done = 0;
    return new Promise<FileReport[]>((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      if (tasks.length === 0) return resolve(reports);
      this.onFailure = reject;
      const sendBatch = (thread: PoolThread): void => {
        if (nextTask >= tasks.length) return;
        thread.batchStart = nextTask;
        thread.batchSize = Math.min(batchSize, tasks.length - nextTask);
        nextTask += thread.batchSize;
        const request: WorkerRequest = { tasks: tasks.slice(thread.batchStart, thread.batchStart + thread.batchSize) };
        thread.worker.postMessage(request);
      };
      this.onResponse = (thread, response) => {
        response.reports.forEach((report, offset) => (reports[thread.batchStart + offset] = report));
        done += response.reports.length;
        onProgress(done, tasks.length);
        if (done === tasks.length) resolve(reports);
        else sendBatch(thread);
      };
      for (const thread of this.threads) sendBatch(thread);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.threads.map((thread) => thread.worker.terminate()));
    this.threads = [];
  }

  private fail(error: Error): void {
    if (this.closing || this.failure) return;
    this.failure = error;
    this.onFailure?.(error);
  }
}
