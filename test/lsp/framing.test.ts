// FrameSanitizer in-process: well-framed input passes through byte for byte however it is
// chunked, and broken framing is dropped up to the next real header.
import * as assert from 'assert';
import { FrameSanitizer } from 'nixguard/out/lsp/framing';

function frame(body: string, length = Buffer.byteLength(body)): string {
  return `Content-Length: ${length}\r\n\r\n${body}`;
}

/** Feeds `input` in chunks of `chunkSize` bytes and returns the output and the problems. */
async function sanitize(input: string | Buffer, chunkSize = Infinity): Promise<{ output: string; problems: string[] }> {
  const problems: string[] = [];
  const sanitizer = new FrameSanitizer((problem) => problems.push(problem));
  const parts: Buffer[] = [];
  sanitizer.on('data', (chunk: Buffer) => parts.push(chunk));
  const bytes = Buffer.isBuffer(input) ? input : Buffer.from(input, 'utf8');
  for (let offset = 0; offset < bytes.length; offset += Math.min(chunkSize, bytes.length)) sanitizer.write(bytes.subarray(offset, offset + chunkSize));
  await new Promise<void>((resolve) => sanitizer.end(resolve));
  return { output: Buffer.concat(parts).toString('utf8'), problems };
}

const message = (id: number, text = 'x'): string => JSON.stringify({ jsonrpc: '2.0', id, method: 'm', params: { text } });

describe('lsp framing', function () {
  it('passes well-framed messages through unchanged in any chunking', async function () {
    const input = frame(message(1, 'é中😀 Content-Length: 12 \\r\\n')) + `Content-Length: ${Buffer.byteLength(message(2))}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n${message(2)}`;
    for (const chunkSize of [1, 2, 7, 64, Infinity]) {
      const { output, problems } = await sanitize(input, chunkSize);
      assert.strictEqual(output, input, `chunk size ${chunkSize}`);
      assert.deepStrictEqual(problems, []);
    }
  });

  it('passes a large body through in 64 KiB chunks', async function () {
    const input = frame(message(1, 'a'.repeat(3 * 1024 * 1024)));
    const { output, problems } = await sanitize(input, 64 * 1024);
    assert.strictEqual(output.length, input.length);
    assert.deepStrictEqual(problems, []);
  });

  it('drops a message whose Content-Length overruns the next one', async function () {
    for (const chunkSize of [1, 5, Infinity]) {
      const { output, problems } = await sanitize(frame(message(1), 500) + frame(message(2)), chunkSize);
      assert.strictEqual(output, frame(message(2)), `chunk size ${chunkSize}`);
      assert.strictEqual(problems.length, 1);
    }
  });

  it('drops the rest of a message whose Content-Length is too short', async function () {
    const { output, problems } = await sanitize(frame(message(1), 10) + frame(message(2)), 3);
    assert.strictEqual(output, frame(message(1).slice(0, 10), 10) + frame(message(2)));
    assert.strictEqual(problems.length, 1);
  });

  it('skips junk and malformed headers before a real header', async function () {
    const junk = 'Content-Type: text/plain\r\n\r\n{"a":1}garbage\u0000\r\nContent-Length: -3\r\n\r\nContent-Length: 99999999999999\r\n\r\n';
    const { output } = await sanitize(junk + frame(message(3)), 4);
    assert.strictEqual(output, frame(message(3)));
  });

  it('bounds the bytes it holds while no header ends', async function () {
    const { output, problems } = await sanitize(Buffer.concat([Buffer.alloc(100_000, 0x41), Buffer.from(frame(message(4)))]), 1000);
    assert.strictEqual(output, frame(message(4)));
    assert.ok(problems.length >= 1);
  });
});
