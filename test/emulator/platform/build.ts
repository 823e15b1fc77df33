// Builds the platform test kernels (kernel/ and compat-kernel/: *.c, *.S, kernel.ld, plus the
// console helpers they share in common/) with the host toolchain, cached like the system-test
// kernel (../system/build.ts).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildKernelIn, type BuiltKernel } from '../system/build.js';

/** A folder of this one in the source tree (also when running from out/, where only .js exist). */
export function platformSourceDir(name: string, marker = 'kernel.ld'): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const candidates = [join(here, name), join(here, '..', '..', '..', '..', 'test', 'emulator', 'platform', name)];
  const dir = candidates.find((d) => existsSync(join(d, marker)));
  if (!dir) throw new Error(`cannot find the platform test sources ${name}/ (looked in ${candidates.join(', ')})`);
  return dir;
}

/** Builds the test kernel in folder `name` (once per process; the ELF is cached by content). */
export function buildPlatformTestKernel(name: string, tag: string): BuiltKernel {
  return buildKernelIn(platformSourceDir(name), tag, [platformSourceDir('common', 'console.h')]);
}

let built: BuiltKernel | undefined;

export function buildPlatformKernel(): BuiltKernel {
  built ??= buildPlatformTestKernel('kernel', 'platform');
  return built;
}

/**
 * The slave disk the kernel reads and writes: `sectors` sectors of 512 bytes; sector n starts
 * with the dword n (its "tag"), then bytes (n * 7 + i) & 0xff.
 */
export function platformDiskImage(sectors = 64): Uint8Array {
  const img = new Uint8Array(sectors * 512);
  for (let n = 0; n < sectors; n++) {
    for (let i = 0; i < 512; i++) img[n * 512 + i] = (n * 7 + i) & 0xff;
    new DataView(img.buffer).setUint32(n * 512, n, true);
  }
  return img;
}
