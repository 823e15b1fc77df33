// Builds the compatibility test kernel (compat-kernel/), like the platform kernel (./build.ts).
import type { BuiltKernel } from '../system/build.js';
import { buildPlatformTestKernel } from './build.js';

let built: BuiltKernel | undefined;

export function buildCompatKernel(): BuiltKernel {
  built ??= buildPlatformTestKernel('compat-kernel', 'compat');
  return built;
}

/** The line after which the kernel's uart parts read input. */
export const UART_READY = 'type lines, "quit" ends\n';
