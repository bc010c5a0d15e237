/* bwinfo: one parseable line about the platform this guest believes it runs
 * on, so a harness can tell a booted guest from a merely printing one: the
 * values come from the running kernel, not from the initramfs. */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

static long meminfo_kb(const char *key)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256];
	long kb = -1;
	size_t n = strlen(key);

	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, key, n) == 0 && line[n] == ':' &&
		    sscanf(line + n + 1, "%ld", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* A device-tree string property, or "none" when the node is absent. */
static void dt_string(const char *path, char *out, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t got;

	snprintf(out, size, "none");
	if (!f)
		return;
	got = fread(out, 1, size - 1, f);
	out[got] = '\0';
	fclose(f);
	if (got == 0)
		snprintf(out, size, "none");
}

int main(void)
{
	struct utsname u;
	char psci[32], compat[64];
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	if (uname(&u) != 0) {
		perror("bwinfo: uname");
		return 1;
	}
	dt_string("/sys/firmware/devicetree/base/psci/method", psci, sizeof psci);
	dt_string("/sys/firmware/devicetree/base/compatible", compat, sizeof compat);
	printf("bwinfo: kernel=%s machine=%s cpus=%ld mem_kb=%ld psci=%s compatible=%s\n",
	       u.release, u.machine, cpus, meminfo_kb("MemTotal"), psci, compat);
	printf("bwinfo: ok\n");
	return 0;
}
