/**
 * Copy-on-write snapshots of one byte store (guest RAM or a disk image), shared page by page
 * until written.
 *
 * The snapshots ("layers") form a list, L0 ... Ln. A layer maps page numbers to saved 4 KiB
 * copies. The bytes of page p in the state a layer stands for are found by looking in that layer,
 * then in each later layer of the list, and, if none holds p, in the live store:
 *
 *     state(Lk)[p] = Lj.pages[p] for the first j >= k that has p, else live[p]        (I)
 *
 * So a layer never copies what nobody has written. Keeping (I) true:
 *  - take(): appends an empty layer (its state is the live store). Every page becomes guarded.
 *  - the first write to a guarded page (claim): if the last layer Ln lacks p, the live bytes are
 *    copied into Ln; every layer whose lookup used to end in the live store now ends in that copy.
 *  - restore(Lk): the live store is given state(Lk). Before a page is overwritten, its live bytes
 *    are saved in Ln (if Ln lacks it) for the same reason as above. Layers after Lk stay valid, so
 *    snapshots can be restored in any order, any number of times.
 *  - release(Lk): Lk's copies move to L(k-1) where that layer lacks the page (lookups from earlier
 *    layers went through Lk); the rest are dropped.
 *
 * Restoring does not copy every page any layer holds. The store remembers a `base` layer and the
 * pages written since it was taken or restored (`touched`): the live store equals state(base)
 * except on those pages. Between state(base) and state(Lk) only pages held by the layers between
 * the two can differ (by (I) both lookups agree past them), so those plus `touched` are all that a
 * restore has to look at. Repeated restores of one snapshot (step back, replay) copy only what the
 * replay wrote.
 */
import { PAGE_SIZE, type WriteGuard } from './write-guard.js';

/** One snapshot of a store. Opaque outside this file. */
export class CowLayer {
  /** @internal Saved page copies (see (I) above). */
  readonly pages = new Map<number, Uint8Array>();
}

export interface CowStats {
  /** Layers alive. */
  layers: number;
  /** Page copies held by all layers, and their bytes. */
  pagesHeld: number;
  bytesHeld: number;
  /** Pages copied out of the live store (first writes after a snapshot, and restores). */
  pagesSaved: number;
  /** Pages copied into the live store by restores. */
  pagesRestored: number;
  /** All bytes copied either way since the store was created. */
  bytesCopied: number;
}

export class CowPages implements WriteGuard {
  readonly guarded: Uint8Array;
  private readonly layers: CowLayer[] = [];
  /** Pages claimed since the last take() or restore(), each once. */
  private touched: number[] = [];
  /** The layer the live store equals, except on `touched` pages; null when not known. */
  private base: CowLayer | null = null;
  private pagesHeld = 0;
  private bytesHeld = 0;
  private pagesSaved = 0;
  private pagesRestored = 0;
  private bytesCopied = 0;

  /**
   * `bytes` is the live store, shared (not copied). `onRestored` runs after a restore wrote page p,
   * e.g. to drop decoded instructions cached from it.
   */
  constructor(
    readonly bytes: Uint8Array,
    private readonly onRestored: ((page: number) => void) | null = null,
  ) {
    this.guarded = new Uint8Array(Math.ceil(bytes.length / PAGE_SIZE));
  }

  get count(): number {
    return this.layers.length;
  }

  /** A new snapshot of the live store: O(pages) flag bookkeeping, no copy. */
  take(): CowLayer {
    const layer = new CowLayer();
    this.layers.push(layer);
    this.resync(layer);
    return layer;
  }

  claim(page: number): void {
    if (this.guarded[page] === 0) return;
    this.guarded[page] = 0;
    this.touched.push(page);
    const last = this.layers[this.layers.length - 1];
    if (last && !last.pages.has(page)) this.hold(last, page, this.copyOut(page));
  }

  /** Gives the live store the contents `layer` stands for. */
  restore(layer: CowLayer): void {
    const k = this.indexOf(layer);
    const last = this.layers[this.layers.length - 1]!;
    for (const p of this.candidates(k)) {
      const saved = this.lookup(k, p);
      if (saved === undefined) continue; // state(layer)[p] is the live page itself
      // Later layers whose lookup of p ends in the live store must keep seeing its current bytes.
      if (!last.pages.has(p)) this.hold(last, p, this.copyOut(p));
      this.bytes.set(saved, p * PAGE_SIZE);
      this.pagesRestored++;
      this.bytesCopied += saved.length;
      this.onRestored?.(p);
    }
    this.resync(layer);
  }

  /** Forgets `layer`; its pages are freed unless an earlier layer still needs them. */
  release(layer: CowLayer): void {
    const k = this.layers.indexOf(layer);
    if (k < 0) return;
    const prev = k > 0 ? this.layers[k - 1]! : null;
    for (const [p, copy] of layer.pages) {
      if (prev && !prev.pages.has(p)) prev.pages.set(p, copy);
      else {
        this.pagesHeld--;
        this.bytesHeld -= copy.length;
      }
    }
    layer.pages.clear();
    this.layers.splice(k, 1);
    if (this.base === layer) this.base = null;
    if (this.layers.length === 0) {
      // Nothing shares the store any more: writes need no bookkeeping at all.
      this.guarded.fill(0);
      this.touched = [];
      this.base = null;
    }
  }

  /** The bytes of page `page` in the state `layer` stands for (for tests and inspection). */
  pageOf(layer: CowLayer, page: number): Uint8Array {
    return this.lookup(this.indexOf(layer), page) ?? this.copyOut(page);
  }

  stats(): CowStats {
    return {
      layers: this.layers.length,
      pagesHeld: this.pagesHeld,
      bytesHeld: this.bytesHeld,
      pagesSaved: this.pagesSaved,
      pagesRestored: this.pagesRestored,
      bytesCopied: this.bytesCopied,
    };
  }

  /** After a take or restore the live store equals `layer`'s state: every page is shared again. */
  private resync(layer: CowLayer): void {
    this.guarded.fill(1);
    this.touched = [];
    this.base = layer;
  }

  private indexOf(layer: CowLayer): number {
    const k = this.layers.indexOf(layer);
    if (k < 0) throw new Error('this snapshot has been released or belongs to another store');
    return k;
  }

  /** Pages on which the live store may differ from state(layers[k]) (see the file comment). */
  private candidates(k: number): Set<number> {
    const out = new Set<number>();
    const b = this.base === null ? -1 : this.layers.indexOf(this.base);
    // Without a known base, (I) says only pages held by layers k..n can differ from the live store.
    const [from, to] = b < 0 ? [k, this.layers.length] : [Math.min(b, k), Math.max(b, k)];
    for (let j = from; j < to; j++) for (const p of this.layers[j]!.pages.keys()) out.add(p);
    for (const p of this.touched) out.add(p);
    return out;
  }

  private lookup(k: number, page: number): Uint8Array | undefined {
    for (let j = k; j < this.layers.length; j++) {
      const copy = this.layers[j]!.pages.get(page);
      if (copy !== undefined) return copy;
    }
    return undefined;
  }

  private copyOut(page: number): Uint8Array {
    const start = page * PAGE_SIZE;
    return this.bytes.slice(start, Math.min(this.bytes.length, start + PAGE_SIZE));
  }

  private hold(layer: CowLayer, page: number, copy: Uint8Array): void {
    layer.pages.set(page, copy);
    this.pagesHeld++;
    this.bytesHeld += copy.length;
    this.pagesSaved++;
    this.bytesCopied += copy.length;
  }
}
