// Builds the compatibility test kernel (compat-kernel/*.c, *.S, kernel.ld) with the host
// toolchain, cached like the other test kernels (../system/build.ts).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildKernelIn, type BuiltKernel } from '../system/build.js';

/** The kernel's sources in the source tree (also when running from out/, where only .js exist). */
function compatKernelDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const candidates = [join(here, 'compat-kernel'), join(here, '..', '..', '..', '..', 'test', 'emulator', 'platform', 'compat-kernel')];
  const dir = candidates.find((d) => existsSync(join(d, 'kernel.ld')));
  if (!dir) throw new Error(`cannot find the compatibility test kernel (looked in ${candidates.join(', ')})`);
  return dir;
}

let built: BuiltKernel | undefined;

export function buildCompatKernel(): BuiltKernel {
  built ??= buildKernelIn(compatKernelDir(), 'compat');
  return built;
}

/** The line after which the kernel's uart parts read input. */
export const UART_READY = 'type lines, "quit" ends\n';
