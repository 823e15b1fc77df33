// Asks the adapter how the current page tables translate an address: a read and a write at the
// current CPL, and, when the CPU is in the kernel, what a user program (ring 3) would get.
import type { TranslateResponse } from '../model/wire.js';
import type { DapRequest } from './dap.js';

export interface AddressLookup {
  address: number;
  read: TranslateResponse;
  write: TranslateResponse;
  /** From ring 3, when the current CPL is not 3 (a kernel address is the usual surprise). */
  user?: { read: TranslateResponse; write: TranslateResponse };
}

export async function lookUpAddress(dap: DapRequest, address: number): Promise<AddressLookup> {
  const translate = async (access: 'read' | 'write', cpl?: number): Promise<TranslateResponse> =>
    (await dap('translate', { address, access, ...(cpl !== undefined ? { cpl } : {}) })) as TranslateResponse;
  const read = await translate('read');
  const write = await translate('write');
  const user = read.cpl !== 3 && read.paging ? { read: await translate('read', 3), write: await translate('write', 3) } : undefined;
  return { address, read, write, user };
}
