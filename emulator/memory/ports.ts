/** A device's I/O-port handlers. `size` is 1, 2 or 4 bytes; `port` is absolute. */
export interface PortDevice {
  portIn(port: number, size: number): number;
  portOut(port: number, size: number, value: number): void;
}

/**
 * The I/O port space (64 Ki ports). Unclaimed ports read as all-ones and ignore writes,
 * as an empty ISA bus does.
 */
export class PortBus {
  private readonly owners: (PortDevice | undefined)[] = new Array(0x10000);

  register(first: number, count: number, device: PortDevice): void {
    for (let p = first; p < first + count; p++) {
      if (this.owners[p]) throw new Error(`I/O port 0x${p.toString(16)} is already claimed`);
      this.owners[p] = device;
    }
  }

  in(port: number, size: number): number {
    const d = this.owners[port & 0xffff];
    if (d) return d.portIn(port & 0xffff, size);
    return size === 1 ? 0xff : size === 2 ? 0xffff : -1;
  }

  out(port: number, size: number, value: number): void {
    this.owners[port & 0xffff]?.portOut(port & 0xffff, size, value);
  }
}
