/* Message queue: a ring of fixed-size slots.  When a receiver already waits
 * a message is copied straight into its buffer, and when a sender waits on a
 * full queue its message moves into the slot a receive frees, so the order
 * of messages is always the order of sends. */
#include <rtos/kernel.h>
#include <string.h>

int k_msgq_init(struct msgq *q, void *buf, size_t msg_size, size_t capacity)
{
	if (!buf || msg_size == 0 || capacity == 0 || capacity > SIZE_MAX / msg_size)
		return K_WOULDBLOCK;
	*q = (struct msgq){ .buf = buf, .msg_size = msg_size, .capacity = capacity };
	return K_OK;
}

static void ring_put(struct msgq *q, const void *msg)
{
	size_t slot = (q->head + q->count) % q->capacity;

	memcpy(q->buf + slot * q->msg_size, msg, q->msg_size);
	q->count++;
}

static void ring_get(struct msgq *q, void *msg)
{
	memcpy(msg, q->buf + q->head * q->msg_size, q->msg_size);
	q->head = (q->head + 1) % q->capacity;
	q->count--;
}

int k_msgq_send(struct kernel *k, struct msgq *q, const void *msg, uint64_t timeout)
{
	struct task *receiver = q->receivers.head;

	if (receiver) {
		memcpy(receiver->msg.recv, msg, q->msg_size);
		k_wake(k, receiver, K_OK);
		return K_OK;
	}
	if (q->count < q->capacity) {
		ring_put(q, msg);
		return K_OK;
	}
	if (timeout == K_NOWAIT)
		return K_WOULDBLOCK;
	k->current->msg.send = msg;
	k_block(k, &q->senders, k_deadline(k, timeout));
	return K_BLOCKED;
}

int k_msgq_recv(struct kernel *k, struct msgq *q, void *msg, uint64_t timeout)
{
	if (q->count > 0) {
		struct task *sender = q->senders.head;

		ring_get(q, msg);
		if (sender) {
			ring_put(q, sender->msg.send);
			k_wake(k, sender, K_OK);
		}
		return K_OK;
	}
	if (timeout == K_NOWAIT)
		return K_WOULDBLOCK;
	k->current->msg.recv = msg;
	k_block(k, &q->receivers, k_deadline(k, timeout));
	return K_BLOCKED;
}
