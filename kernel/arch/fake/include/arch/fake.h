/* What the fake architecture recorded, for host unit tests. */
#ifndef ARCH_FAKE_H
#define ARCH_FAKE_H

#include <kernel/types.h>

enum fake_op { FAKE_PT_PUBLISH = 1, FAKE_TLB_PAGE, FAKE_TLB_VMID, FAKE_TLB_ALL, FAKE_ICACHE };

struct fake_event {
	enum fake_op op;
	u64 a, b;
};

#define FAKE_LOG_MAX 4096
struct fake_log {
	unsigned n;
	struct fake_event op[FAKE_LOG_MAX];
};

extern struct fake_log fake_log;
void fake_reset(void);

#endif
