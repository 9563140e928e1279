/*
 * fuzz_backup.c - the backup reader (mrm_backup_restore()).
 *
 * A real backup of the small fuzz database (fuzz_db.h) is made once per
 * process. The first input byte picks what the reader is given:
 *
 *   even: the rest of the input, as a file (headers, magic, lengths);
 *   odd:  the real backup, cut to a length and with bytes flipped, as the
 *         rest of the input says: a 4-byte length (modulo the backup's
 *         length + 1; 0xffffffff keeps it whole), then 4-byte edits (a
 *         3-byte offset and a byte XOR-ed there).
 *
 * The second case has an oracle: the restore must succeed exactly when
 * the file is the backup unchanged, and a failed restore must leave no
 * file behind. Anything else aborts, which libFuzzer reports as a crash.
 */
#include "fuzz_common.h"
#include "fuzz_db.h"

#include "mrm/backup.h"

#include <sys/stat.h>

static unsigned char *good;
static size_t good_len;
static char key_path[600], in_path[600], out_path[600];

static void remove_outputs(void)
{
	static const char *const suffix[] = {"", ".key", "-wal", "-shm",
					     "-journal"};
	char path[700];

	for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", out_path, suffix[i]);
		unlink(path);
	}
}

static void cleanup(void)
{
	remove_outputs();
	unlink(in_path);
	free(good);
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *fp = fopen(path, "wb");

	if (!fp || (len && fwrite(data, 1, len, fp) != len) || fclose(fp)) {
		perror("fuzz backup: write");
		abort();
	}
}

static void setup(void)
{
	struct mrm_error err;
	char path[600];
	struct stat sb;
	FILE *fp;

	mrm_error_clear(&err);
	(void)fuzz_db();
	snprintf(key_path, sizeof(key_path), "%s/f.db.key", fuzz_dir);
	snprintf(in_path, sizeof(in_path), "%s/in.mrmbak", fuzz_dir);
	snprintf(out_path, sizeof(out_path), "%s/r.db", fuzz_dir);
	snprintf(path, sizeof(path), "%s/good.mrmbak", fuzz_dir);
	if (mrm_backup_create(fuzz_st, path, &err))
		fuzz_die("backup", &err);
	fp = fopen(path, "rb");
	if (!fp || fstat(fileno(fp), &sb) || !(good = malloc(sb.st_size)) ||
	    fread(good, 1, sb.st_size, fp) != (size_t)sb.st_size) {
		perror("fuzz backup: read");
		abort();
	}
	good_len = (size_t)sb.st_size;
	fclose(fp);
	unlink(path);
	atexit(cleanup); /* runs before fuzz_db's clean-up */
}

/* The real backup cut and flipped as `data` says; *changed tells whether
 * the result differs from it. Returns a malloc'd copy of `*len` bytes. */
static unsigned char *mutate(const uint8_t *data, size_t size, size_t *len,
			     int *changed)
{
	unsigned char *buf = malloc(good_len ? good_len : 1);
	uint32_t cut = 0xffffffffu;

	if (!buf)
		abort();
	memcpy(buf, good, good_len);
	*len = good_len;
	*changed = 0;
	if (size >= 4) {
		cut = (uint32_t)data[0] << 24 | (uint32_t)data[1] << 16 |
		      (uint32_t)data[2] << 8 | data[3];
		data += 4;
		size -= 4;
	}
	if (cut != 0xffffffffu)
		*len = cut % (good_len + 1);
	for (; size >= 4; data += 4, size -= 4) {
		size_t off =
			(size_t)data[0] << 16 | (size_t)data[1] << 8 | data[2];
		if (off < *len)
			buf[off] ^= data[3];
	}
	/* Edits may cancel out: compare rather than count them. */
	*changed = *len != good_len || memcmp(buf, good, good_len) != 0;
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mrm_error err;
	unsigned char *file = NULL;
	size_t len;
	int changed = 1, rc;
	struct stat sb;

	if (!good)
		setup();
	if (size == 0)
		return 0;
	if (data[0] & 1) {
		file = mutate(data + 1, size - 1, &len, &changed);
		write_file(in_path, file, len);
	} else {
		write_file(in_path, data + 1, size - 1);
	}
	mrm_error_clear(&err);
	rc = mrm_backup_restore(key_path, in_path, out_path, &err);
	if (data[0] & 1) {
		if (rc == 0 && changed) {
			fprintf(stderr, "an altered backup was restored\n");
			abort();
		}
		if (rc != 0 && !changed) {
			fprintf(stderr, "the real backup failed: %s: %s\n",
				err.where, err.msg);
			abort();
		}
	}
	if (rc != 0 && stat(out_path, &sb) == 0) {
		fprintf(stderr, "a failed restore left %s\n", out_path);
		abort();
	}
	remove_outputs();
	free(file);
	return 0;
}
