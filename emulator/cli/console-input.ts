/**
 * The guest's console input in `ringside run`: what arrives on stdin goes to COM1's receiver, or
 * (--stdin keyboard) is typed on the 8042 keyboard. Bytes are handed over between run slices,
 * as they come.
 *
 * A terminal is put in raw mode, as QEMU's -nographic console does, so that every key reaches the
 * guest as typed: the guest does its own echo and line editing, and ctrl-C goes to the guest. The
 * terminal's settings come back when the run ends, however it ends. Ctrl-A is the escape key:
 * Ctrl-A x ends the run, Ctrl-A Ctrl-A sends one Ctrl-A, Ctrl-A h (or any other key) lists them.
 *
 * A pipe or a file is fed as it is read; after its end the guest keeps running (a kernel that
 * then waits for input that can no longer come is reported as halted, see run.ts).
 */

export const ESCAPE_KEY = 0x01; // Ctrl-A

/** Raw mode keeps the terminal's output processing (newline -> CR LF), so plain newlines suffice. */
export const ESCAPE_HELP = '\nringside console: Ctrl-A x  end the run   Ctrl-A Ctrl-A  send Ctrl-A   Ctrl-A h  this help\n';

export interface ConsoleInputOptions {
  /** Receives the guest's input bytes (escape sequences already taken out). */
  deliver(bytes: Uint8Array): void;
  /** Messages for the user (stderr): the escape help, a read error. */
  notice(text: string): void;
}

export class ConsoleInput {
  /** False once stdin has ended (or failed): no more input can come. */
  open = true;
  /** Set by Ctrl-A x. */
  quitRequested = false;
  /** True when stdin is a terminal put in raw mode (the escape key is active). */
  readonly raw: boolean;
  private escaping = false;
  private waiters: (() => void)[] = [];
  private closed = false;

  constructor(
    private readonly stream: NodeJS.ReadStream,
    private readonly opts: ConsoleInputOptions,
  ) {
    this.raw = stream.isTTY === true && typeof stream.setRawMode === 'function';
    if (this.raw) {
      stream.setRawMode(true);
      // Also on an exit the run loop does not see coming (an uncaught error).
      process.once('exit', this.restoreTerminal);
    }
    stream.on('data', this.onData);
    stream.on('end', this.onEnd);
    stream.on('error', this.onError);
    stream.resume();
  }

  /** Resolves when input arrives, stdin ends, wake() is called, or after `ms` (Infinity: no limit). */
  wait(ms: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (): void => {
        if (timer !== undefined) clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== done);
        resolve();
      };
      if (Number.isFinite(ms)) timer = setTimeout(done, ms);
      this.waiters.push(done);
    });
  }

  /** Ends any wait() now (the run loop has something else to do, e.g. after a signal). */
  wake(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
  }

  /** Stops reading and gives the terminal its settings back; the process can then exit. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stream.off('data', this.onData);
    this.stream.off('end', this.onEnd);
    this.stream.off('error', this.onError);
    this.restoreTerminal();
    process.off('exit', this.restoreTerminal);
    this.stream.destroy();
    this.wake();
  }

  private readonly restoreTerminal = (): void => {
    if (this.raw) this.stream.setRawMode(false);
  };

  private readonly onData = (chunk: Buffer | string): void => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
    if (!this.raw) {
      this.opts.deliver(new Uint8Array(bytes));
    } else {
      const out: number[] = [];
      for (const b of bytes) {
        if (this.escaping) {
          this.escaping = false;
          if (b === ESCAPE_KEY) out.push(b);
          else if (b === 0x78 || b === 0x58) {
            // x or X: quit; the rest of this chunk was typed after it and goes nowhere.
            this.quitRequested = true;
            break;
          } else this.opts.notice(ESCAPE_HELP);
        } else if (b === ESCAPE_KEY) this.escaping = true;
        else out.push(b);
      }
      if (out.length) this.opts.deliver(Uint8Array.from(out));
    }
    this.wake();
  };

  private readonly onEnd = (): void => {
    this.open = false;
    this.wake();
  };

  private readonly onError = (e: Error): void => {
    this.opts.notice(`ringside: cannot read console input from stdin (${e.message}); the guest gets no more input\n`);
    this.onEnd();
  };
}
