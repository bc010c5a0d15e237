/* secadm: the security administrator's tool inside the Linux guest.  It
 * talks to policyd through the guest admin mailbox its VMM emulates
 * (include/bulwark/secadm.h), mapped through /dev/mem: no driver of our
 * own.  policyd decides each request against the Linux VM's domain (the
 * whole guest is one subject; the VMM calls on the VM's behalf), so who
 * runs secadm inside Linux does not matter to the device's policy.
 *
 *   secadm status              policy sequence number and mode
 *   secadm load FILE           load a compiled policy (polc output)
 *   secadm setbool NAME 0|1    set a policy boolean
 *   secadm enforce 0|1         permissive (0) or enforcing (1)
 *   secadm audit               print the AVC records policyd holds
 *
 * Exit status: 0 done, 1 refused or failed (with a message saying why:
 * "secadm: permission denied (load_policy)" when the policy refuses),
 * 2 bad command line. */
#include <bulwark/errors.h>
#include <bulwark/secadm.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "devmem.h"

#define DT_NODE "bulwark-secadm@"

static volatile uint32_t *regs;
static volatile uint32_t *window;

static _Noreturn void die(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static _Noreturn void die(int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("secadm: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(status);
}

static _Noreturn void usage(void)
{
	fputs("usage: secadm status | load FILE | setbool NAME 0|1 | enforce 0|1 | audit\n", stderr);
	exit(2);
}

/* The mailbox node's two (address, size) pairs: registers, window. */
static void find_device(uint64_t addr[2], uint64_t size[2])
{
	char path[512];
	switch (devmem_find_node(DT_NODE, 2, addr, size, path, sizeof path)) {
	case DEVMEM_FOUND:
		return;
	case DEVMEM_NO_TREE:
		die(1, "cannot read %s: %s", DEVMEM_DT_ROOT, strerror(errno));
	case DEVMEM_NO_NODE:
		die(1, "admin device missing: no %s node in the device tree (this VM has no admin channel)", DT_NODE);
	case DEVMEM_BAD_REG:
		break;
	}
	die(1, "admin device: cannot read %s (want 2 address/size pairs of 2 cells each)", path);
}

static volatile uint32_t *map_phys(int fd, uint64_t addr, uint64_t size, const char *what)
{
	volatile uint32_t *p = devmem_map(fd, addr, size);
	if (!p)
		die(1, "/dev/mem refused to map the admin %s at %#" PRIx64 ": %s", what, addr, strerror(errno));
	return p;
}

static uint64_t window_size;

static void open_device(void)
{
	uint64_t addr[2], size[2];
	find_device(addr, size);
	if (size[0] < SECADM_REGS_SIZE || size[1] == 0 || size[1] > SECADM_WINDOW_SIZE)
		die(1, "admin device: unexpected sizes %#" PRIx64 " and %#" PRIx64 " in the device tree", size[0], size[1]);
	int fd = open("/dev/mem", O_RDWR | O_SYNC | O_CLOEXEC);
	if (fd < 0)
		die(1, "cannot open /dev/mem: %s", strerror(errno));
	regs = map_phys(fd, addr[0], SECADM_REGS_SIZE, "registers");
	window = map_phys(fd, addr[1], size[1], "window");
	window_size = size[1];
	close(fd);
	if (regs[SECADM_REG_MAGIC / 4] != SECADM_MAGIC)
		die(1, "admin device: wrong magic %#x at %#" PRIx64, regs[SECADM_REG_MAGIC / 4], addr[0]);
	if (!(regs[SECADM_REG_STATUS / 4] & SECADM_STATUS_READY))
		die(1, "admin channel not ready: this VM's monitor holds no admin window or no policyd endpoint "
		       "(see its console messages)");
}

/* Device memory: whole aligned words only, never memcpy. */
static void window_put(const uint8_t *data, uint64_t n)
{
	for (uint64_t i = 0; i < n; i += 4) {
		uint32_t w = 0;
		for (uint64_t b = 0; b < 4 && i + b < n; b++)
			w |= (uint32_t)data[i + b] << (8 * b);
		window[i / 4] = w;
	}
}

static void window_get(uint8_t *out, uint64_t n)
{
	for (uint64_t i = 0; i < n; i += 4) {
		uint32_t w = window[i / 4];
		for (uint64_t b = 0; b < 4 && i + b < n; b++)
			out[i + b] = (uint8_t)(w >> (8 * b));
	}
}

static const char *error_text(uint32_t e)
{
	switch (e) {
	case BW_E_INVAL: return "invalid request (unknown boolean, or a policy policyd rejects: see the console)";
	case BW_E_BADHANDLE: return "the monitor holds no policyd endpoint";
	case BW_E_RIGHTS: return "the monitor's policyd endpoint lost its send right (revoked by policy)";
	case BW_E_NOMEM: return "policyd has no memory for it";
	case BW_E_RANGE: return "size out of range";
	case BW_E_STATE: return "admin channel not ready";
	case BW_E_CLOSED: return "policyd went away while answering";
	}
	return NULL;
}

/* Runs cmd; exits with a message unless policyd said yes. */
static void request(uint32_t cmd, uint32_t arg, uint32_t len, const char *perm)
{
	regs[SECADM_REG_ARG / 4] = arg;
	regs[SECADM_REG_LEN / 4] = len;
	regs[SECADM_REG_CMD / 4] = cmd;
	uint32_t e = regs[SECADM_REG_RESULT / 4];
	if (e == BW_OK)
		return;
	if (e == BW_E_DENIED)
		die(1, "permission denied (%s)", perm);
	const char *why = error_text(e);
	if (why)
		die(1, "%s failed: %s (error %u)", perm, why, e);
	die(1, "%s failed: error %u", perm, e);
}

static uint32_t parse_bit(const char *s)
{
	if (strcmp(s, "0") && strcmp(s, "1"))
		usage();
	return s[0] == '1';
}

static void cmd_status(void)
{
	request(SECADM_CMD_STATUS, 0, 0, "compute_av");
	printf("policy %u in force, %s\n", regs[SECADM_REG_OUT0 / 4], regs[SECADM_REG_OUT1 / 4] ? "enforcing" : "permissive");
}

static void cmd_load(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st))
		die(1, "%s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		die(1, "%s: not a regular file", path);
	if (st.st_size == 0)
		die(1, "%s: empty file", path);
	if ((uint64_t)st.st_size > window_size)
		die(1, "%s: too large (%lld bytes; the admin window holds %" PRIu64 ")", path, (long long)st.st_size,
		    window_size);
	uint8_t *data = malloc((size_t)st.st_size);
	ssize_t got = 0;
	while (data && got < st.st_size) {
		ssize_t n = read(fd, data + got, (size_t)(st.st_size - got));
		if (n <= 0)
			die(1, "%s: read failed: %s", path, n ? strerror(errno) : "file shrank");
		got += n;
	}
	if (!data)
		die(1, "%s: out of memory", path);
	close(fd);
	window_put(data, (uint64_t)st.st_size);
	free(data);
	request(SECADM_CMD_LOAD, 0, (uint32_t)st.st_size, "load_policy");
	request(SECADM_CMD_STATUS, 0, 0, "compute_av");
	printf("loaded %s (%lld bytes): policy %u in force\n", path, (long long)st.st_size, regs[SECADM_REG_OUT0 / 4]);
}

static void cmd_setbool(const char *name, uint32_t value)
{
	size_t n = strlen(name);
	if (n == 0 || n > SECADM_NAME_MAX)
		die(2, "boolean name must have 1 to %d characters", SECADM_NAME_MAX);
	window_put((const uint8_t *)name, n);
	request(SECADM_CMD_SETBOOL, value, (uint32_t)n, "setbool");
	printf("%s = %u\n", name, value);
}

static void cmd_enforce(uint32_t on)
{
	request(SECADM_CMD_ENFORCE, on, 0, "setenforce");
	printf("%s\n", on ? "enforcing" : "permissive");
}

/* policyd returns whole lines, as many as fit in one answer; ask again
 * from where it stopped until it has nothing more. */
static void cmd_audit(void)
{
	uint32_t from = 0, total = 0;
	static uint8_t text[SECADM_WINDOW_SIZE];
	for (;;) {
		request(SECADM_CMD_AUDIT, from, 0, "read_audit");
		uint32_t lines = regs[SECADM_REG_OUT0 / 4], next = regs[SECADM_REG_OUT1 / 4];
		uint32_t len = regs[SECADM_REG_LEN / 4];
		if (!lines)
			break;
		if (len > sizeof text)
			die(1, "read_audit: the monitor reports %u bytes, more than its window", len);
		window_get(text, len);
		fwrite(text, 1, len, stdout);
		total += lines;
		if (next <= from)
			break;
		from = next;
	}
	fflush(stdout);
	fprintf(stderr, "secadm: %u audit records\n", total);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	const char *c = argv[1];
	int want = 0; /* the argument count the command takes */
	if (!strcmp(c, "status") || !strcmp(c, "audit"))
		want = 2;
	else if (!strcmp(c, "load") || !strcmp(c, "enforce"))
		want = 3;
	else if (!strcmp(c, "setbool"))
		want = 4;
	if (!want || argc != want)
		usage();
	if (!strcmp(c, "enforce") || !strcmp(c, "setbool"))
		parse_bit(argv[argc - 1]);
	open_device();
	if (!strcmp(c, "status"))
		cmd_status();
	else if (!strcmp(c, "load"))
		cmd_load(argv[2]);
	else if (!strcmp(c, "setbool"))
		cmd_setbool(argv[2], parse_bit(argv[3]));
	else if (!strcmp(c, "enforce"))
		cmd_enforce(parse_bit(argv[2]));
	else
		cmd_audit();
	return 0;
}
