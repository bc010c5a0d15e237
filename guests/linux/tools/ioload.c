/* ioload: the I/O-bound half of the RTOS jitter benchmark's load.  Writes
 * blocks to a file or block device, syncs them out, reads them back and
 * verifies, for a given time (0: forever).  On a virtio disk every sync and
 * read is device traffic, i.e. VM exits; on tmpfs it is kernel work only. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BLOCK 4096
#define BLOCKS 64

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int full_io(int fd, void *buf, int writing)
{
	size_t done = 0;

	while (done < BLOCK) {
		ssize_t n = writing ? write(fd, (char *)buf + done, BLOCK - done)
				    : read(fd, (char *)buf + done, BLOCK - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

int main(int argc, char **argv)
{
	/* One file per process: two loads side by side must not verify each
	 * other's blocks. */
	char own_file[64];
	const char *path = NULL;
	double seconds = 0, start;
	static unsigned char out[BLOCK], in[BLOCK];
	unsigned long long blocks = 0;
	int fd, opt;

	while ((opt = getopt(argc, argv, "f:s:")) != -1) {
		if (opt == 'f')
			path = optarg;
		else if (opt == 's')
			seconds = strtod(optarg, NULL);
		else {
			fprintf(stderr, "usage: ioload [-f FILE_OR_DEVICE] [-s SECONDS]\n");
			return 2;
		}
	}
	if (!path) {
		snprintf(own_file, sizeof own_file, "/tmp/ioload.%ld", (long)getpid());
		path = own_file;
	}
	fd = open(path, O_RDWR | O_CREAT, 0600);
	if (fd < 0) {
		fprintf(stderr, "ioload: %s: %s\n", path, strerror(errno));
		return 1;
	}
	start = now();
	for (unsigned pass = 0;; pass++) {
		if (lseek(fd, 0, SEEK_SET) < 0)
			goto io_error;
		for (int b = 0; b < BLOCKS; b++) {
			memset(out, (int)(pass * BLOCKS + b), sizeof out);
			if (full_io(fd, out, 1))
				goto io_error;
		}
		if (fsync(fd) && errno != EINVAL) /* tmpfs may refuse; that is fine */
			goto io_error;
		if (lseek(fd, 0, SEEK_SET) < 0)
			goto io_error;
		for (int b = 0; b < BLOCKS; b++) {
			if (full_io(fd, in, 0))
				goto io_error;
			memset(out, (int)(pass * BLOCKS + b), sizeof out);
			if (memcmp(in, out, sizeof in)) {
				fprintf(stderr, "ioload: %s: block %d read back wrong\n", path, b);
				return 1;
			}
			blocks++;
		}
		if (seconds > 0 && now() - start >= seconds)
			break;
	}
	printf("ioload: %llu KiB written and verified in %.2f s\n", blocks * BLOCK / 1024,
	       now() - start);
	close(fd);
	if (path == own_file)
		unlink(own_file);
	return 0;

io_error:
	fprintf(stderr, "ioload: %s: %s\n", path, strerror(errno));
	return 1;
}
