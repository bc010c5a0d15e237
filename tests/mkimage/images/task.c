/* A minimal static task image for mkimage's tests: text, initialised data
 * and bss, so every kind of region appears. */
static volatile unsigned long counter = 1;
static volatile char scratch[300];

void _start(void);

void _start(void)
{
	for (;;) {
		counter++;
		scratch[counter % sizeof(scratch)]++;
	}
}
