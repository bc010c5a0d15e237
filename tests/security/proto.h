/* What the attacker asks the administrator (secadmin) to do, on admin-ep:
 * the label; mr0 the argument; the reply's mr0 a BW_E_* code. */
#ifndef SECTEST_PROTO_H
#define SECTEST_PROTO_H

#define ADM_SETBOOL     1 /* sectest_signal = mr0 */
#define ADM_RELOAD      2 /* mr0 0: load the image's second policy; 1: the boot policy again */
#define ADM_SETENFORCE  3 /* mr0 */
#define ADM_STOP_POLICYD 4

#define PEER_ECHO 1

#endif
