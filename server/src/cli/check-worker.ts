// Worker-thread entry for `nixguard check` on large trees: receives batches of files, parses and
// checks them (fixing in place with `--fix`) and posts back the plain-JSON reports.
import { parentPort } from 'worker_threads';
import { checkFileOnDisk, CheckTask } from './file-report';

export interface WorkerRequest {
  readonly tasks: readonly CheckTask[];
}

export interface WorkerResponse {
  readonly reports: ReturnType<typeof checkFileOnDisk>[];
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (request: WorkerRequest) => {
    const response: WorkerResponse = { reports: request.tasks.map(checkFileOnDisk) };
    port.postMessage(response);
  });
}
