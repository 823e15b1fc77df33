/**
 * COM1's output on the way to stdout. Bytes are collected and written at each newline, when
 * the buffer fills, and at the end of every slice: one write per line instead of one per byte,
 * yet output appears as the guest produces it rather than at the end of the run.
 */
const CAPACITY = 4096;
const NEWLINE = 0x0a;

export class ConsoleSink {
  private readonly buffer = new Uint8Array(CAPACITY);
  private length = 0;

  constructor(private readonly out: NodeJS.WritableStream) {}

  put(byte: number): void {
    this.buffer[this.length++] = byte;
    if (byte === NEWLINE || this.length === CAPACITY) this.flush();
  }

  flush(): void {
    if (this.length === 0) return;
    // A copy: the stream may keep the chunk after write() returns.
    this.out.write(Buffer.from(this.buffer.subarray(0, this.length)));
    this.length = 0;
  }
}
