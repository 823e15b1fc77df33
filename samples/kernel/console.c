/*
 * The console is the PC's first serial port, COM1: a 16550 UART at I/O port 0x3F8, on
 * interrupt line IRQ 4. Output is written byte by byte (polling "transmitter empty").
 * Input arrives by interrupt: serial_intr() takes the received bytes and runs them through
 * a tiny terminal line discipline, like a Unix tty in canonical mode:
 *
 *   - every character typed is echoed back, so you see what you type;
 *   - input is collected into a line; backspace (^H or DEL) erases the last character;
 *   - Enter ('\r' or '\n') completes the line, which read() can then return (with a '\n');
 *   - ^D completes the line without a newline; on an empty line it makes read() return 0.
 *
 * read() blocks until a complete line is there (syscall.c).
 *
 * Everything written to the serial console also appears on the PC's colour text screen (CGA),
 * as xv6's cprintf does, so a debugger or a QEMU window shows it too. The serial port stays
 * the console: the screen is a copy, and input comes only from the serial port.
 */
#include "kernel.h"
#include "x86.h"
#include "memlayout.h"
#include "console.h"
#include "sched.h"

#define COM1		0x3F8
#define COM_RX		0	/* in:  receive buffer (DLAB = 0) */
#define COM_TX		0	/* out: transmit buffer (DLAB = 0) */
#define COM_DLL		0	/* out: divisor latch low (DLAB = 1) */
#define COM_DLM		1	/* out: divisor latch high (DLAB = 1) */
#define COM_IER		1	/* out: interrupt enable register */
#define   COM_IER_RDI	0x01	/*   enable the receiver data interrupt */
#define COM_FCR		2	/* out: FIFO control register */
#define   COM_FCR_ON	0x07	/*   enable and clear both FIFOs, interrupt at 1 byte */
#define COM_IIR		2	/* in:  interrupt identification register */
#define COM_LCR		3	/* out: line control register */
#define   COM_LCR_DLAB	0x80	/*   divisor latch access bit */
#define   COM_LCR_WLEN8	0x03	/*   8 data bits, no parity, 1 stop bit */
#define COM_MCR		4	/* out: modem control register */
#define   COM_MCR_RTS	0x02	/*   request to send */
#define   COM_MCR_DTR	0x01	/*   data terminal ready */
#define   COM_MCR_OUT2	0x08	/*   PC wiring: connects the UART's interrupt to IRQ 4 */
#define COM_LSR		5	/* in:  line status register */
#define   COM_LSR_DATA	0x01	/*   data available */
#define   COM_LSR_TXRDY	0x20	/*   transmit buffer empty */

static void cons_intr_char(int c);
static void cga_init(void);
static void cga_putc(int c);

void
cons_init(void)
{
	cga_init();

	/*
	 * Keep what was typed before the kernel got here (type-ahead): turning the FIFOs on
	 * below would throw it away.
	 */
	outb(COM1 + COM_LCR, COM_LCR_WLEN8);
	while (inb(COM1 + COM_LSR) & COM_LSR_DATA)
		cons_intr_char(inb(COM1 + COM_RX));

	/* 115200 baud (divisor 1), 8N1, FIFOs on, interrupt on received data. */
	outb(COM1 + COM_IER, 0);
	outb(COM1 + COM_LCR, COM_LCR_DLAB);
	outb(COM1 + COM_DLL, 1);
	outb(COM1 + COM_DLM, 0);
	outb(COM1 + COM_LCR, COM_LCR_WLEN8);
	outb(COM1 + COM_FCR, COM_FCR_ON);
	outb(COM1 + COM_MCR, COM_MCR_DTR | COM_MCR_RTS | COM_MCR_OUT2);
	outb(COM1 + COM_IER, COM_IER_RDI);
}

void
cons_putc(int c)
{
	/* Wait (a bounded while) for the transmitter to take another byte. */
	for (int i = 0; !(inb(COM1 + COM_LSR) & COM_LSR_TXRDY) && i < 12800; i++)
		;
	outb(COM1 + COM_TX, c);
	cga_putc(c);
}

void
cons_write(const char *buf, int n)
{
	for (int i = 0; i < n; i++)
		cons_putc(buf[i]);
}

/*
 * The CGA text screen: 80 columns by 25 rows of two-byte cells (the character, then its
 * attribute: background colour in bits 4-6, foreground in bits 0-3) in video memory at
 * physical 0xB8000, which the kernel reaches through its map of all physical memory at
 * KERNBASE. The blinking hardware cursor is moved through the CRT controller: its index
 * port 0x3D4 selects register 14 (cursor position, high byte) or 15 (low byte), and the
 * data port 0x3D5 reads or sets it. When the last row is full the screen scrolls up a row.
 */
#define CGA_MEM		((volatile uint16_t *) (KERNBASE + 0xB8000))
#define CGA_COLS	80
#define CGA_ROWS	25
#define CGA_ATTR	0x0700	/* light grey on black, as the BIOS leaves the screen */
#define CRTC_INDEX	0x3D4
#define CRTC_DATA	0x3D5
#define   CRTC_CURSOR_HI	14
#define   CRTC_CURSOR_LO	15

static int cga_pos;	/* the cursor: the cell the next character goes to */

static void
cga_cursor(void)
{
	outb(CRTC_INDEX, CRTC_CURSOR_HI);
	outb(CRTC_DATA, cga_pos >> 8);
	outb(CRTC_INDEX, CRTC_CURSOR_LO);
	outb(CRTC_DATA, cga_pos);
}

/* Go on from where the boot firmware left the cursor (the top left of a blank screen on Ringside). */
static void
cga_init(void)
{
	outb(CRTC_INDEX, CRTC_CURSOR_HI);
	cga_pos = inb(CRTC_DATA) << 8;
	outb(CRTC_INDEX, CRTC_CURSOR_LO);
	cga_pos |= inb(CRTC_DATA);
	if (cga_pos >= CGA_ROWS * CGA_COLS)
		cga_pos = 0;
}

static void
cga_putc(int c)
{
	c &= 0xff;
	if (c == '\n')
		cga_pos += CGA_COLS - cga_pos % CGA_COLS;
	else if (c == '\r')
		cga_pos -= cga_pos % CGA_COLS;
	else if (c == '\b') {
		if (cga_pos > 0)
			cga_pos--;
	} else if (c == '\t') {
		do
			CGA_MEM[cga_pos++] = ' ' | CGA_ATTR;
		while (cga_pos % 8 != 0);
	} else
		CGA_MEM[cga_pos++] = c | CGA_ATTR;

	if (cga_pos >= CGA_ROWS * CGA_COLS) {
		/* Scroll: every row moves up one, the last row is blanked. */
		memmove((void *) CGA_MEM, (void *) (CGA_MEM + CGA_COLS),
			(CGA_ROWS - 1) * CGA_COLS * sizeof(uint16_t));
		for (int i = (CGA_ROWS - 1) * CGA_COLS; i < CGA_ROWS * CGA_COLS; i++)
			CGA_MEM[i] = ' ' | CGA_ATTR;
		cga_pos -= CGA_COLS;
	}
	cga_cursor();
}

/*
 * The input side. Completed lines wait in `ready` (a ring buffer) for read(); the line
 * being typed is in `line`. An empty line ended with ^D is counted in `eofs`.
 */
#define READYSIZE 1024
#define LINESIZE 256
static char ready[READYSIZE];
static uint32_t ready_r, ready_w;	/* read and write positions (ever increasing) */
static char line[LINESIZE];
static int linelen;
static int eofs;

/* Move the line being typed to the ready buffer (as much as fits). */
static void
line_commit(void)
{
	for (int i = 0; i < linelen && ready_w - ready_r < READYSIZE; i++)
		ready[ready_w++ % READYSIZE] = line[i];
	linelen = 0;
}

/* One received character through the line discipline. */
static void
cons_intr_char(int c)
{
	if (c == '\r')
		c = '\n';
	if (c == '\b' || c == 0x7f) {
		if (linelen > 0) {
			linelen--;
			cons_write("\b \b", 3);
		}
		return;
	}
	if (c == 0x04) {	/* ^D */
		if (linelen == 0)
			eofs++;
		line_commit();
		env_wakeup(WAIT_CONSOLE);
		return;
	}
	if (linelen < LINESIZE - 1 || c == '\n') {
		line[linelen++] = c;
		cons_putc(c);	/* echo */
	}
	if (c == '\n') {
		line_commit();
		env_wakeup(WAIT_CONSOLE);
	}
}

/* IRQ 4: take every byte the UART has received. */
void
serial_intr(void)
{
	while (inb(COM1 + COM_LSR) & COM_LSR_DATA)
		cons_intr_char(inb(COM1 + COM_RX));
}

/*
 * Take up to n bytes of completed input, stopping after a newline. Returns the number of
 * bytes, 0 at end of file (^D on an empty line), or -1 when there is nothing yet: the
 * caller must wait.
 */
int
cons_read(char *buf, int n)
{
	int i = 0;

	if (ready_r == ready_w) {
		if (eofs > 0) {
			eofs--;
			return 0;
		}
		return -1;
	}
	while (i < n && ready_r != ready_w) {
		char c = ready[ready_r++ % READYSIZE];
		buf[i++] = c;
		if (c == '\n')
			break;
	}
	return i;
}
