/* passphrase.c - reading passphrases: a file descriptor, a file or the
 * terminal, never the command line (see cli.h) */
#include "cli.h"

#include "mrm/keyring.h"
#include "mrm/store.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

const char *cli_passphrase_fd, *cli_passphrase_file;

/* The first line of `fd` (at most MRM_PASSPHRASE_MAX bytes) into `p`. */
static int read_line(int fd, char *p, size_t *len)
{
	size_t n = 0;
	ssize_t got;
	char c;

	while ((got = read(fd, &c, 1)) == 1 && c != '\n') {
		if (n == MRM_PASSPHRASE_MAX)
			return -2;
		p[n++] = c;
	}
	if (got < 0)
		return -1;
	if (n && p[n - 1] == '\r')
		n--;
	p[n] = '\0';
	*len = n;
	return 0;
}

static int from_fd(const char *cmd, const char *opt, const char *v, char *p,
		   size_t *len)
{
	char *end;
	long fd = strtol(v, &end, 10);
	int rc;

	if (*end || !*v || fd < 0 || fd > 1023)
		return cli_usage(cmd,
				 "--%s must be a file descriptor number, "
				 "not \"%s\"",
				 opt, v);
	rc = read_line((int)fd, p, len);
	if (rc)
		fprintf(stderr, "mrm %s: --%s %ld: %s\n", cmd, opt, fd,
			rc == -2 ? "longer than 1024 bytes" : strerror(errno));
	return rc ? CLI_FAIL : 0;
}

static int from_file(const char *cmd, const char *opt, const char *path,
		     char *p, size_t *len)
{
	struct stat sb;
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

	if (fd < 0) {
		fprintf(stderr, "mrm %s: --%s %s: %s\n", cmd, opt, path,
			strerror(errno));
		return CLI_FAIL;
	}
	if (fstat(fd, &sb) == 0 && (sb.st_mode & 077)) {
		fprintf(stderr,
			"mrm %s: --%s %s: readable by others (mode %03o); "
			"run: chmod 600 %s\n",
			cmd, opt, path, (unsigned)(sb.st_mode & 0777), path);
		close(fd);
		return CLI_FAIL;
	}
	rc = read_line(fd, p, len);
	close(fd);
	if (rc)
		fprintf(stderr, "mrm %s: --%s %s: %s\n", cmd, opt, path,
			rc == -2 ? "longer than 1024 bytes" : strerror(errno));
	return rc ? CLI_FAIL : 0;
}

/* Ask on the terminal, without echo. */
static int from_tty(const char *cmd, const char *prompt, char *p, size_t *len)
{
	struct termios old, quiet;
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC), rc;

	if (fd < 0 || tcgetattr(fd, &old)) {
		if (fd >= 0)
			close(fd);
		fprintf(stderr,
			"mrm %s: a passphrase is needed and there is no "
			"terminal to ask on: give it with --passphrase-fd N "
			"or --passphrase-file FILE\n",
			cmd);
		return CLI_FAIL;
	}
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	if (write(fd, prompt, strlen(prompt)) < 0 ||
	    tcsetattr(fd, TCSAFLUSH, &quiet)) {
		close(fd);
		return CLI_FAIL;
	}
	rc = read_line(fd, p, len);
	tcsetattr(fd, TCSAFLUSH, &old);
	if (write(fd, "\n", 1) < 0)
		rc = -1;
	close(fd);
	return rc ? CLI_FAIL : 0;
}

int cli_passphrase(const char *cmd, const char *fd_opt, const char *fd,
		   const char *file_opt, const char *file, const char *prompt,
		   int confirm, struct cli_secret *out)
{
	char again[MRM_PASSPHRASE_MAX + 1];
	size_t n = 0;
	int rc;

	out->len = 0;
	if (fd)
		return from_fd(cmd, fd_opt, fd, out->text, &out->len);
	if (file)
		return from_file(cmd, file_opt, file, out->text, &out->len);
	rc = from_tty(cmd, prompt, out->text, &out->len);
	if (!rc && confirm)
		rc = from_tty(cmd, "Again, to be sure: ", again, &n);
	if (!rc && confirm &&
	    (n != out->len || sodium_memcmp(again, out->text, n))) {
		fprintf(stderr,
			"mrm %s: the two passphrases differ; nothing "
			"was changed\n",
			cmd);
		rc = CLI_FAIL;
	}
	sodium_memzero(again, sizeof(again));
	return rc;
}

void cli_secret_wipe(struct cli_secret *s)
{
	sodium_memzero(s, sizeof(*s));
}

int cli_open(const char *cmd, const char *db, struct mrm_store **st)
{
	struct cli_secret pass;
	struct mrm_error err;
	char prompt[300];
	int rc = 0;

	*st = NULL;
	if (!db)
		return cli_usage(cmd, "--db FILE is required");
	if (!cli_passphrase_fd && !cli_passphrase_file &&
	    !mrm_store_needs_passphrase(db)) {
		if (mrm_store_open(st, db, &err))
			return cli_error(cmd, &err);
		return 0;
	}
	snprintf(prompt, sizeof(prompt), "Passphrase of %.200s: ", db);
	rc = cli_passphrase(cmd, "passphrase-fd", cli_passphrase_fd,
			    "passphrase-file", cli_passphrase_file, prompt, 0,
			    &pass);
	if (!rc && mrm_store_open_passphrase(st, db, pass.text, pass.len, &err))
		rc = cli_error(cmd, &err);
	cli_secret_wipe(&pass);
	return rc;
}

int cli_new_kek(const char *cmd, const char *to, const char *kdf,
		const char *new_fd, const char *new_file,
		struct cli_secret *pass, struct mrm_kek_spec *spec)
{
	struct mrm_error err;
	int rc;

	memset(spec, 0, sizeof(*spec));
	memset(pass, 0, sizeof(*pass));
	if (!to)
		return cli_usage(cmd, "--to key-file|passphrase is required");
	if (kdf && mrm_kdf_level_parse(kdf, &spec->kdf, &err))
		return cli_usage(cmd, "%s", err.msg);
	if (!strcmp(to, "key-file"))
		return new_fd || new_file
			       ? cli_usage(cmd, "--to key-file takes no new "
						"passphrase")
			       : 0;
	if (strcmp(to, "passphrase"))
		return cli_usage(cmd,
				 "--to must be key-file or passphrase, not "
				 "\"%s\"",
				 to);
	rc = cli_passphrase(cmd, "new-passphrase-fd", new_fd,
			    "new-passphrase-file", new_file,
			    "New passphrase: ", 1, pass);
	spec->passphrase = pass->text;
	spec->passphrase_len = pass->len;
	return rc;
}
