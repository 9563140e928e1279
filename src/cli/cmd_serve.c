/* cmd_serve.c - mrm serve: the web application (src/server) */
#include "cli.h"

#include "server.h"

#include "mrm/buf.h"
#include "mrm/store.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PEM_MAX (1u << 20)

/* Read a PEM file whole into `out`. */
static int read_pem(const char *opt, const char *path, struct mrm_buf *out)
{
	char chunk[4096];
	FILE *fp = fopen(path, "rb");
	size_t n;
	int rc = 0;

	if (!fp) {
		fprintf(stderr, "mrm serve: %s %s: %s\n", opt, path,
			strerror(errno));
		return CLI_FAIL;
	}
	while (!rc && (n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		rc = mrm_buf_add(out, chunk, n);
	if (rc || ferror(fp) || !out->len) {
		fprintf(stderr, "mrm serve: %s %s: %s\n", opt, path,
			rc ? "larger than 1 MiB: not a PEM file?"
			   : "cannot read it (or it is empty)");
		rc = CLI_FAIL;
	}
	fclose(fp);
	return rc;
}

static FILE *open_log(const char *path)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	FILE *fp = fd < 0 ? NULL : fdopen(fd, "a");

	if (!fp) {
		fprintf(stderr, "mrm serve: --access-log %s: %s\n", path,
			strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	return fp;
}

/* Check the values that are usage errors (exit 2) before anything runs. */
static int check_usage(const char *db, const char *listen, const char *threads,
		       const char *cert, const char *key, unsigned *nthreads)
{
	struct sockaddr_storage ss;
	struct mrm_error err;
	socklen_t len;
	char *end;
	long n;

	if (!db)
		return cli_usage("serve", "--db is required");
	if (listen && srv_parse_listen(listen, &ss, &len, &err))
		return cli_usage("serve", "--listen: %s", err.msg);
	if (!cert != !key)
		return cli_usage("serve", "--tls-cert and --tls-key go "
					  "together");
	*nthreads = SRV_THREADS_DEFAULT;
	if (!threads)
		return 0;
	n = strtol(threads, &end, 10);
	if (*end || !*threads || n < 1 || n > SRV_THREADS_MAX)
		return cli_usage("serve", "--threads must be 1 to %d",
				 SRV_THREADS_MAX);
	*nthreads = (unsigned)n;
	return 0;
}

/* --session-idle MIN (1-1440) and --session-max HOURS (1-720) */
static int session_opt(const char *opt, const char *v, long max, long unit,
		       int64_t *out)
{
	char *end;
	long n;

	if (!v)
		return 0;
	n = strtol(v, &end, 10);
	if (*end || !*v || n < 1 || n > max)
		return cli_usage("serve",
				 "--%s must be a whole number from 1 "
				 "to %ld",
				 opt, max);
	*out = (int64_t)n * unit;
	return 0;
}

/* Serve until SIGINT or SIGTERM, which every thread but this one blocks. */
static int serve(struct srv_opts *o, sigset_t *stop)
{
	struct mrm_error err;
	struct srv *s = NULL;
	const char *listen;
	int sig = 0;

	if (srv_start(&s, o, &err))
		return cli_error("serve", &err);
	listen = o->listen ? o->listen : SRV_LISTEN_DEFAULT;
	fprintf(stderr,
		"mrm serve: listening on %s://%.*s:%u (%u thread%s); "
		"stop with Ctrl-C or SIGTERM\n",
		srv_scheme(s), (int)(strrchr(listen, ':') - listen), listen,
		srv_port(s), o->threads, o->threads == 1 ? "" : "s");
	while (sigwait(stop, &sig))
		;
	fprintf(stderr, "mrm serve: %s: finishing the requests in flight\n",
		sig == SIGINT ? "SIGINT" : "SIGTERM");
	srv_stop(s);
	fprintf(stderr, "mrm serve: stopped\n");
	return CLI_OK;
}

int cmd_serve(int argc, char **argv)
{
	const char *db = NULL, *listen = NULL, *threads = NULL, *cert = NULL,
		   *key = NULL, *log = NULL, *idle = NULL, *max = NULL;
	const struct cli_opt opts[] = {{"db", &db, NULL, NULL},
				       {"session-idle", &idle, NULL, NULL},
				       {"session-max", &max, NULL, NULL},
				       {"listen", &listen, NULL, NULL},
				       {"threads", &threads, NULL, NULL},
				       {"tls-cert", &cert, NULL, NULL},
				       {"tls-key", &key, NULL, NULL},
				       {"access-log", &log, NULL, NULL},
				       {NULL}};
	struct mrm_buf cert_pem = MRM_BUF_INIT(PEM_MAX);
	struct mrm_buf key_pem = MRM_BUF_INIT(PEM_MAX);
	struct srv_opts o = {0};
	struct mrm_store *st = NULL;
	struct mrm_key kek;
	sigset_t stop;
	char *pos[1];
	int npos, rc;

	rc = cli_parse(cli_find("serve"), argc, argv, opts, pos, 0, &npos);
	if (!rc)
		rc = check_usage(db, listen, threads, cert, key, &o.threads);
	if (!rc)
		rc = session_opt("session-idle", idle, 1440, 60,
				 &o.session_idle);
	if (!rc)
		rc = session_opt("session-max", max, 720, 3600, &o.session_max);
	if (!rc && cert)
		rc = read_pem("--tls-cert", cert, &cert_pem);
	if (!rc && key)
		rc = read_pem("--tls-key", key, &key_pem);
	if (!rc && log && !(o.access_log = open_log(log)))
		rc = CLI_FAIL;
	if (rc)
		goto out;
	/* unlock once: the workers' connections reuse the key */
	rc = cli_open("serve", db, &st);
	if (rc)
		goto out;
	kek = *mrm_store_key(st);
	mrm_store_close(st);
	o.kek = &kek;
	o.db = db;
	o.listen = listen;
	o.tls_cert = cert ? mrm_buf_str(&cert_pem) : NULL;
	o.tls_key = key ? mrm_buf_str(&key_pem) : NULL;
	/* block the signals before the server's threads start, so that they
	 * inherit the mask and only sigwait() sees them */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	rc = serve(&o, &stop);
out:
	if (o.access_log)
		fclose(o.access_log);
	if (key_pem.ptr)
		sodium_memzero(key_pem.ptr, key_pem.cap);
	mrm_buf_release(&key_pem);
	mrm_buf_release(&cert_pem);
	sodium_memzero(&kek, sizeof(kek));
	return rc < 0 ? CLI_OK : rc;
}
