/**
 * One progress line on stderr while the bench runs (stdout is kept for the results table): redrawn
 * in place on a terminal with the elapsed time, one line per step when stderr is a file or a pipe.
 */
import { performance } from 'node:perf_hooks';

export class Progress {
  readonly #started = performance.now();
  readonly #tty = Boolean(process.stderr.isTTY);
  #step = '';
  #stepStarted = 0;
  #timer: NodeJS.Timeout | undefined;

  step(text: string): void {
    this.#step = text;
    this.#stepStarted = performance.now();
    if (this.#tty) {
      this.#draw();
      this.#timer ??= setInterval(() => this.#draw(), 500).unref();
    } else {
      process.stderr.write(`${this.#prefix()} ${text}\n`);
    }
  }

  done(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#tty) process.stderr.write('\r\x1b[K');
    process.stderr.write(`${this.#prefix()} done\n`);
  }

  #draw(): void {
    const stepSeconds = ((performance.now() - this.#stepStarted) / 1_000).toFixed(0);
    process.stderr.write(`\r\x1b[K${this.#prefix()} ${this.#step} (${stepSeconds} s)`);
  }

  #prefix(): string {
    return `[bench ${((performance.now() - this.#started) / 1_000).toFixed(0).padStart(3)} s]`;
  }
}
