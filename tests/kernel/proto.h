/* Labels of the kernel test suite's IPC protocol between ktest and kpeer. */
#ifndef KTEST_PROTO_H
#define KTEST_PROTO_H

#define PEER_ECHO    1 /* reply: mr0 = badge seen, mr1 = mr1 + 1, mr2 = sends seen, mr3 = mr3 */
#define PEER_BUF     2 /* reply: the buffer reversed, mr0 = bytes received */
#define PEER_XFER    3 /* signal the transferred notification; mr0 = 1 if one came */
#define PEER_SHM     4 /* map the shared region, reply mr0 = word 0, then store mr1 there */
#define PEER_SEND    5 /* one-way: counted */

#define PEER_SHM_VA 0x30000000ul

#endif
