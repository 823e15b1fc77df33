/* Polled COM1 output and the QEMU exit port, shared by the platform test kernels (kernel/ and
   compat-kernel/): included after their outb/inb and the u8/u16/u32 types. Both kernels print
   through this so that their results on Ringside and on QEMU compare byte for byte. */
static void putc(char c) {
  while (!(inb(COM1 + 5) & 0x20)) {
  }
  outb(COM1, (u8)c);
}

static void puthex(u32 v, int width) {
  char buf[8];
  int n = 0;
  do {
    buf[n++] = "0123456789abcdef"[v & 15];
    v >>= 4;
  } while (v && n < 8);
  while (n < width) buf[n++] = '0';
  while (n) putc(buf[--n]);
}

static void putdec(u32 v) {
  char buf[10];
  int n = 0;
  do {
    buf[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (n) putc(buf[--n]);
}

/* %x %Nx %d %s %c */
static void kprintf(const char *fmt, ...) {
  __builtin_va_list ap;
  __builtin_va_start(ap, fmt);
  for (const char *p = fmt; *p; p++) {
    if (*p != '%') {
      putc(*p);
      continue;
    }
    int width = 0;
    while (p[1] >= '0' && p[1] <= '9') width = width * 10 + (*++p - '0');
    switch (*++p) {
      case 'x': puthex(__builtin_va_arg(ap, u32), width); break;
      case 'd': putdec(__builtin_va_arg(ap, u32)); break;
      case 's': for (const char *s = __builtin_va_arg(ap, const char *); *s; s++) putc(*s); break;
      case 'c': putc((char)__builtin_va_arg(ap, int)); break;
      default: putc('%'); putc(*p); break;
    }
  }
  __builtin_va_end(ap);
}

static const char *yes(int c) { return c ? "yes" : "no"; }

static void qemu_exit(int code) {
  outb(0xf4, (u8)code);
  for (;;) __asm__ volatile("cli; hlt");
}
