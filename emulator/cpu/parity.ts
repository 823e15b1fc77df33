/** PARITY[b] is 1 when byte b has an even number of set bits (the x86 PF definition). */
export const PARITY = new Uint8Array(256);
for (let b = 0; b < 256; b++) {
  let ones = 0;
  for (let v = b; v; v >>= 1) ones += v & 1;
  PARITY[b] = ones & 1 ? 0 : 1;
}
