// Guards the stdio transport against broken framing. vscode-jsonrpc survives a body that is not
// JSON, but a wrong or missing `Content-Length` desynchronises it for good: a length too large
// makes it wait forever for bytes that belong to the next messages, a length too small or a
// missing header leaves it reading JSON as headers. This stream sits between stdin and the
// reader, passes well-framed messages through untouched, and after broken framing resumes at the
// next `Content-Length:` header.
//
// Resynchronising inside a body is safe because no valid JSON body can contain the raw bytes
// `Content-Length: <digits>\r\n`: JSON strings cannot hold a raw CR, and outside strings the
// letters are invalid. So seeing that pattern inside a body proves the frame was wrong.
import { Transform, TransformCallback } from 'stream';
import { AbstractMessageWriter, Message, MessageWriter } from 'vscode-languageserver/node';

/** Larger bodies are refused (a 10 MB document is about 11 MB of JSON). */
export const MAX_BODY_BYTES = 256 * 1024 * 1024;
/** A header block longer than this is junk. */
const MAX_HEADER_BYTES = 8 * 1024;
const HEADER_END = Buffer.from('\r\n\r\n', 'latin1');
const CONTENT_LENGTH = Buffer.from('Content-Length:', 'latin1');
/** Enough to hold `Content-Length: <12 digits>\r\n` with some spaces. */
const RESYNC_WINDOW = 48;
const HEADER_LINE = /^[A-Za-z][A-Za-z0-9-]*:[ \t]*[^\r\n]*$/;
const CONTENT_LENGTH_LINE = /^content-length:[ \t]*(\d{1,12})[ \t]*$/i;
const RESYNC_HEADER = /^Content-Length:[ \t]*\d{1,12}\r\n/;

export class FrameSanitizer extends Transform {
  /** Bytes not yet framed; while reading a body, its bytes so far (after `header`). */
  private chunks: Buffer[] = [];
  private bufferedBytes = 0;
  /** The header block of the frame whose body is being read, with its terminating blank line. */
  private header: Buffer | undefined;
  private bodyLength = 0;
  /** Body bytes already searched for a resync header. */
  private scannedBytes = 0;

  constructor(private readonly onProblem: (message: string) => void) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.chunks.push(chunk);
      this.bufferedBytes += chunk.length;
      this.drain();
      callback();
    } catch (error) {
      // Never let a framing bug take the stream down: drop what we have and carry on.
      this.reset(`dropped ${this.bufferedBytes} unreadable bytes (${error instanceof Error ? error.message : String(error)})`);
      callback();
    }
  }

  override _flush(callback: TransformCallback): void {
    if (this.bufferedBytes > 0 || this.header) this.onProblem(`input ended inside a message; ${this.bufferedBytes} bytes dropped`);
    callback();
  }

  private reset(problem: string): void {
    this.onProblem(problem);
    this.chunks = [];
    this.bufferedBytes = 0;
    this.header = undefined;
    this.scannedBytes = 0;
  }

  private flat(): Buffer {
    if (this.chunks.length !== 1) this.chunks = [Buffer.concat(this.chunks, this.bufferedBytes)];
    return this.chunks[0];
  }

  private replaceBuffer(rest: Buffer): void {
    this.chunks = rest.length > 0 ? [rest] : [];
    this.bufferedBytes = rest.length;
  }

  private drain(): void {
    for (;;) {
      if (this.header === undefined) {
        if (!this.readHeader()) return;
      } else if (!this.readBody()) {
        return;
      }
    }
  }

  /** Finds the next well-formed header block, discarding junk before it. False: need more bytes. */
  private readHeader(): boolean {
    if (this.bufferedBytes === 0) return false;
    const buffer = this.flat();
    const end = buffer.indexOf(HEADER_END);
    if (end < 0) {
      if (buffer.length > MAX_HEADER_BYTES) {
        const keep = buffer.subarray(buffer.length - RESYNC_WINDOW);
        this.onProblem(`dropped ${buffer.length - keep.length} bytes that are not a message header`);
        this.replaceBuffer(Buffer.from(keep));
      }
      return false;
    }
    let start = 0;
    let length = parseHeaderBlock(buffer.toString('latin1', 0, end));
    if (length === undefined) {
      // Junk before a header, as left by a body shorter than its Content-Length said.
      const header = buffer.subarray(0, end).indexOf(CONTENT_LENGTH);
      start = header >= 0 ? header : end + HEADER_END.length;
      length = header >= 0 ? parseHeaderBlock(buffer.toString('latin1', header, end)) : undefined;
      this.onProblem(`dropped ${header >= 0 && length !== undefined ? start : end + HEADER_END.length} bytes that are not a well-formed message`);
      if (length === undefined) {
        this.replaceBuffer(buffer.subarray(end + HEADER_END.length));
        return true;
      }
    }
    if (length > MAX_BODY_BYTES) {
      this.onProblem(`dropped a message header announcing ${length} bytes (more than ${MAX_BODY_BYTES})`);
      this.replaceBuffer(buffer.subarray(end + HEADER_END.length));
      return true;
    }
    this.header = Buffer.from(buffer.subarray(start, end + HEADER_END.length));
    this.bodyLength = length;
    this.scannedBytes = 0;
    this.replaceBuffer(buffer.subarray(end + HEADER_END.length));
    return true;
  }

  /** Emits the frame once its body is complete, unless a header shows up inside it. */
  private readBody(): boolean {
    const resync = this.findHeaderInBody();
    if (resync >= 0) {
      this.onProblem(`dropped a message whose Content-Length (${this.bodyLength}) overran the next message`);
      const buffer = this.flat();
      this.header = undefined;
      this.replaceBuffer(buffer.subarray(resync));
      return true;
    }
    if (this.bufferedBytes < this.bodyLength) return false;
    // Pass the body on chunk by chunk: the reader reassembles it, and a 10 MB body is not copied.
    this.push(this.header);
    let remaining = this.bodyLength;
    const rest: Buffer[] = [];
    for (const chunk of this.chunks) {
      if (remaining >= chunk.length) {
        this.push(chunk);
        remaining -= chunk.length;
      } else if (remaining > 0) {
        this.push(chunk.subarray(0, remaining));
        rest.push(chunk.subarray(remaining));
        remaining = 0;
      } else {
        rest.push(chunk);
      }
    }
    this.header = undefined;
    this.chunks = rest;
    this.bufferedBytes -= this.bodyLength;
    return true;
  }

  /**
   * Offset of a `Content-Length: N\r\n` header starting inside the body, or -1. Scans only bytes
   * not scanned before, overlapping the previous scan so that a header split across chunks is
   * still seen; a header may run past the body's declared end. Chunk boundaries are searched in
   * small joined windows, so no chunk is copied.
   */
  private findHeaderInBody(): number {
    const available = Math.min(this.bufferedBytes, this.bodyLength + RESYNC_WINDOW);
    if (available <= this.scannedBytes) return -1;
    const from = Math.max(0, this.scannedBytes - RESYNC_WINDOW);
    this.scannedBytes = available;
    // Walk back from the newest chunk to the one holding `from`, so a trickle of tiny chunks costs
    // no more than a few large ones.
    let first = this.chunks.length - 1;
    let firstStart = this.bufferedBytes - this.chunks[first].length;
    while (first > 0 && firstStart > from) firstStart -= this.chunks[--first].length;
    for (let i = first, chunkStart = firstStart; i < this.chunks.length && chunkStart < available; i++) {
      const chunk = this.chunks[i];
      const chunkEnd = chunkStart + chunk.length;
      const low = Math.max(from, chunkStart) - chunkStart;
      const high = Math.min(available, chunkEnd) - chunkStart;
      let found = this.searchHeader(chunk.subarray(low, high), chunkStart + low);
      if (found < 0 && i + 1 < this.chunks.length && chunkEnd < available) {
        const left = chunk.subarray(Math.max(low, chunk.length - RESYNC_WINDOW));
        const right = this.leadingBytes(i + 1, Math.min(RESYNC_WINDOW, available - chunkEnd));
        found = this.searchHeader(Buffer.concat([left, ...right]), chunkEnd - left.length);
      }
      if (found >= 0) return found;
      chunkStart = chunkEnd;
    }
    return -1;
  }

  /** The first `count` bytes of the chunks from `first` on, as subarrays. */
  private leadingBytes(first: number, count: number): Buffer[] {
    const parts: Buffer[] = [];
    for (let i = first; i < this.chunks.length && count > 0; i++) {
      const part = this.chunks[i].subarray(0, count);
      parts.push(part);
      count -= part.length;
    }
    return parts;
  }

  /** Body offset of the first resync header in `region` (which starts at body offset `base`) that starts inside the body. */
  private searchHeader(region: Buffer, base: number): number {
    for (let position = region.indexOf(CONTENT_LENGTH); position >= 0 && base + position < this.bodyLength; position = region.indexOf(CONTENT_LENGTH, position + 1)) {
      if (RESYNC_HEADER.test(region.toString('latin1', position, Math.min(region.length, position + RESYNC_WINDOW)))) return base + position;
    }
    return -1;
  }
}

/** The Content-Length of a header block (without its blank line), or undefined if malformed. */
function parseHeaderBlock(block: string): number | undefined {
  if (block.length > MAX_HEADER_BYTES) return undefined;
  let length: number | undefined;
  for (const line of block.split('\r\n')) {
    if (!HEADER_LINE.test(line)) return undefined;
    const match = CONTENT_LENGTH_LINE.exec(line);
    if (match) length = Number(match[1]);
  }
  return length;
}

/**
 * Writes each message as one write of header and body. vscode-jsonrpc's StreamMessageWriter
 * writes the header, waits for the write to complete, then writes the body: two system calls and
 * an event-loop turn per message, which on a busy machine was a visible part of the latency from
 * an edit to its diagnostics.
 */
export class SingleWriteMessageWriter extends AbstractMessageWriter implements MessageWriter {
  private errorCount = 0;

  constructor(private readonly output: NodeJS.WritableStream) {
    super();
    output.on('error', (error: Error) => this.fireError(error));
    output.on('close', () => this.fireClose());
  }

  write(message: Message): Promise<void> {
    return new Promise((resolve, reject) => {
      try {
        const body = JSON.stringify(message);
        this.output.write(`Content-Length: ${Buffer.byteLength(body, 'utf8')}\r\n\r\n${body}`, 'utf8', (error) => {
          if (!error) return resolve();
          this.fireError(error, message, ++this.errorCount);
          reject(error);
        });
      } catch (error) {
        this.fireError(error instanceof Error ? error : new Error(String(error)), message, ++this.errorCount);
        reject(error);
      }
    });
  }

  end(): void {
    // stdout stays open for process.exit to flush; nothing to end here.
  }
}
