/* Error codes every Bulwark system call returns in x0 (0 = success).
 * Stable ABI: values never change meaning once released. */
#ifndef BULWARK_ERRORS_H
#define BULWARK_ERRORS_H

#define BW_OK          0u
#define BW_E_INVAL     1u  /* malformed argument (flags, sizes, alignment) */
#define BW_E_BADHANDLE 2u  /* no such handle, or a stale one (generation moved on) */
#define BW_E_TYPE      3u  /* the handle names an object of another type */
#define BW_E_RIGHTS    4u  /* the handle lacks a right the operation needs */
#define BW_E_NOMEM     5u  /* the task's kernel-memory quota is exhausted */
#define BW_E_FAULT     6u  /* a user address is unmapped, kernel-only or lacks access */
#define BW_E_EXISTS    7u  /* the mapping would overlap an existing one */
#define BW_E_MSGSIZE   8u  /* message buffer larger than BW_MSG_BUF_MAX */
#define BW_E_DENIED    9u  /* the security policy refused the operation */
#define BW_E_CLOSED    10u /* the object went away while the caller waited on it */
#define BW_E_NOSYS     11u /* unknown system call number */
#define BW_E_AGAIN     12u /* nothing to receive and the caller asked not to block */
#define BW_E_STATE     13u /* object in the wrong state (e.g. reply with no caller) */
#define BW_E_RANGE     14u /* value outside its permitted range (priority, size) */
#define BW_E_FULL      15u /* handle table full */
#define BW_E_TIMEOUT   16u /* a timed wait ran out before the notification was signalled */

#endif
