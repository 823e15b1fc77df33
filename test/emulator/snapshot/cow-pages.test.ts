// The copy-on-write page store against the obvious model (a full copy per snapshot), under long
// random sequences of writes, snapshots, restores in any order and releases.
import { describe, expect, it } from 'vitest';
import { CowPages, type CowLayer } from '../../../emulator/snapshot/cow-pages.js';
import { claimRange, PAGE_SIZE } from '../../../emulator/snapshot/write-guard.js';

/** Byte equality without vitest's element-by-element deep compare (far too slow here). */
const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);

/** A small deterministic generator (xorshift32), so failures replay. */
function rng(seed: number): (n: number) => number {
  let x = seed || 1;
  return (n) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}

describe('CowPages', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`matches full copies (seed ${seed})`, () => {
      const r = rng(seed);
      // 9.5 pages: the last page is partial, as a disk image's may be.
      const bytes = new Uint8Array(9 * PAGE_SIZE + PAGE_SIZE / 2);
      const restored: number[] = [];
      const store = new CowPages(bytes, (p) => restored.push(p));
      const model = new Map<CowLayer, Uint8Array>();
      const live = (): CowLayer[] => [...model.keys()];
      let lastRestoreAt: CowLayer | null = null;
      for (let step = 0; step < 3000; step++) {
        const op = r(100);
        if (op < 70) {
          // A write of 1..300 bytes anywhere, through the guard as every writer must.
          const len = 1 + r(300);
          const at = r(bytes.length - len);
          claimRange(store, at, len);
          for (let k = 0; k < len; k++) bytes[at + k] = r(256);
          lastRestoreAt = null;
        } else if (op < 80 || model.size === 0) {
          model.set(store.take(), bytes.slice());
          lastRestoreAt = null;
        } else if (op < 95) {
          const layers = live();
          const layer = layers[r(layers.length)]!;
          restored.length = 0;
          store.restore(layer);
          expect(same(bytes, model.get(layer)!), `restore at step ${step}`).toBe(true);
          // Restoring what was just restored, with nothing written since, copies nothing.
          if (lastRestoreAt === layer) expect(restored).toEqual([]);
          lastRestoreAt = layer;
        } else {
          const layers = live();
          const layer = layers[r(layers.length)]!;
          store.release(layer);
          model.delete(layer);
          if (lastRestoreAt === layer) lastRestoreAt = null;
        }
        if (step % 97 === 0) {
          for (const [layer, copy] of model) {
            for (let p = 0; p < store.guarded.length; p++) {
              expect(same(store.pageOf(layer, p), copy.subarray(p * PAGE_SIZE, (p + 1) * PAGE_SIZE)), `page ${p} at step ${step}`).toBe(true);
            }
          }
        }
      }
      const stats = store.stats();
      expect(stats.layers).toBe(model.size);
      for (const layer of live()) store.release(layer);
      expect(store.stats()).toMatchObject({ layers: 0, pagesHeld: 0, bytesHeld: 0 });
      expect(store.guarded.every((g) => g === 0)).toBe(true);
    });
  }

  it('copies a page once per snapshot, on its first write', () => {
    const bytes = new Uint8Array(4 * PAGE_SIZE);
    const store = new CowPages(bytes);
    store.take();
    for (let k = 0; k < 100; k++) claimRange(store, PAGE_SIZE + k * 8, 8);
    expect(store.stats()).toMatchObject({ pagesSaved: 1, pagesHeld: 1, bytesHeld: PAGE_SIZE });
    claimRange(store, PAGE_SIZE - 2, 4); // straddles pages 0 and 1: page 0 is new
    expect(store.stats().pagesSaved).toBe(2);
    store.take();
    claimRange(store, PAGE_SIZE, 1);
    expect(store.stats().pagesSaved).toBe(3);
  });
});
