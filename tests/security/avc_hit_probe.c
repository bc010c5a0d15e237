/* The access-vector cache's hit path as the kernel inlines it, in a
 * function of its own so tests/security/bench.sh can count its
 * instructions (the hit path is straight-line: everything but the ret). */
#include <kernel/check.h>

bool avc_hit_probe(u32 ssid, u32 tsid, u32 cls, u32 perms);

bool avc_hit_probe(u32 ssid, u32 tsid, u32 cls, u32 perms)
{
	return avc_hit(&avc, ssid, tsid, cls, perms);
}
