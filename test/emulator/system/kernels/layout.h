/* Selectors and fixed addresses shared by the assembly and C parts of the test kernel. */
#ifndef LAYOUT_H
#define LAYOUT_H

#define KCODE   0x08
#define KDATA   0x10
#define UCODE   0x1b   /* GDT[3] | RPL 3: sysexit's CS is SYSENTER_CS + 16 */
#define UDATA   0x23   /* GDT[4] | RPL 3: sysexit's SS is SYSENTER_CS + 24 */
#define TSSSEL  0x28
#define R1CODE  0x31   /* ring-1 code, GDT[6] | RPL 1 */
#define R1DATA  0x39   /* ring-1 data, GDT[7] | RPL 1 */
#define NPDATA  0x40   /* data segment, not present */
#define XOCODE  0x48   /* code segment, execute-only */
#define RODATA  0x50   /* data segment, read-only */
#define NPSTACK 0x58   /* writable data segment, not present */
#define GDT_ENTRIES 12

/* Ring 3 stack: the top of the identity-mapped low 8 MiB. */
#define USTACK_TOP 0x00800000
/* Test mappings live from here on; frames for them come from FRAME_POOL. */
#define TESTVA     0x40000000
#define FRAME_POOL 0x00600000
#define TABLE_POOL 0x00500000

#endif
