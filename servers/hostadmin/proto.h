/* The host admin channel, past the console: what the console driver
 * forwards to the host admin task and what the payload of a frame says.
 *
 * The console sends each complete, CRC-checked frame payload (at most
 * ADMIN_FRAME_MAX bytes, drivers/console/admin_frame.h) to the host admin
 * task's endpoint, label HOSTADMIN_PAYLOAD.  A payload is a request,
 * numbers little-endian:
 *
 *   'L' id:u16 offset:u32 total:u32 crc:u32 bytes...  one piece of a policy
 *       (polc output) of `total` bytes whose CRC-32 is `crc`; pieces come in
 *       order; the last one loads the policy
 *   'B' id:u16 value:u8 name...                      set a boolean
 *   'E' id:u16 value:u8                              enforcing (1) or permissive (0)
 *   'S' id:u16                                       policy sequence number and mode
 *
 * Every request ends with one console line (prefix [hostadm]):
 *   admin ID ok: ...        done
 *   admin ID denied: ...    policyd refused it (its AVC line comes first)
 *   admin ID failed: ...    anything else
 * which the host tool (tools/admin) waits for. */
#ifndef HOSTADMIN_PROTO_H
#define HOSTADMIN_PROTO_H

#define HOSTADMIN_PAYLOAD 1

#define HOSTADMIN_LOAD 'L'
#define HOSTADMIN_SETBOOL 'B'
#define HOSTADMIN_ENFORCE 'E'
#define HOSTADMIN_STATUS 'S'

#define HOSTADMIN_LOAD_HEADER 15 /* op, id, offset, total, crc */

#endif
