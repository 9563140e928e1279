/*
 * server.h - mrm serve: the JSON API of docs/api.md and the browser
 * interface (web/, compiled into the binary), over HTTP or HTTPS with
 * libmicrohttpd.
 *
 * A pool of worker threads answers the requests; each worker has its own
 * database connection (struct mrm_store) on the same file, opened when it
 * first needs one, so that SQLite's WAL mode lets them read side by side
 * while one writes. Handlers parse a request, call libmrm and render the
 * answer: every rule, access checks included, is libmrm's.
 *
 * The command (src/cli/cmd_serve.c) and the tests (tests/test_server.c)
 * start and stop a server with the functions below.
 */
#ifndef MRM_SERVER_H
#define MRM_SERVER_H

#include "mrm/error.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

struct mrm_key;

#define SRV_THREADS_DEFAULT 4
#define SRV_THREADS_MAX	    256
#define SRV_BODY_MAX	    (64u << 10) /* bytes of a request body */
#define SRV_IMPORT_MAX	    (8u << 20)	/* ... of an import's CSV */
#define SRV_HEADER_MAX	    (32u << 10) /* memory for a request's headers */
#define SRV_TIMEOUT	    30		/* seconds a connection may idle */
#define SRV_DRAIN_SECONDS   10		/* wait for requests at shutdown */

struct srv_opts {
	const char *db;	    /* the database file (and its DB.key) */
	const char *listen; /* "HOST:PORT": "127.0.0.1:8080", "[::1]:8080";
			       port 0 takes any free port; NULL: the default */
	unsigned threads;   /* worker threads; 0: SRV_THREADS_DEFAULT */
	/* TLS: the certificate (chain) and private key as PEM text, both or
	 * neither; borrowed until srv_stop(). */
	const char *tls_cert, *tls_key;
	FILE *access_log; /* one line per request; NULL: stderr. Borrowed. */
	unsigned timeout; /* 0: SRV_TIMEOUT */
	size_t body_max, import_max; /* 0: SRV_BODY_MAX, SRV_IMPORT_MAX */
	unsigned drain_seconds;	     /* 0: SRV_DRAIN_SECONDS */
	/* the key-encryption key, unlocked at start (a passphrase); NULL:
	 * the key file DB.key. Borrowed until srv_stop(). */
	const struct mrm_key *kek;
	/* sessions end when unused this long, and this long after login
	 * whatever; 0: MRM_SESSION_IDLE_SECONDS, MRM_SESSION_SECONDS */
	int64_t session_idle, session_max;
};

#define SRV_LISTEN_DEFAULT "127.0.0.1:8080"

struct srv;

/*
 * Parse a --listen value into a socket address. MRM_ERR_INVALID with a
 * message that shows the expected form.
 */
int srv_parse_listen(const char *listen, struct sockaddr_storage *ss,
		     socklen_t *len, struct mrm_error *err);

/*
 * Check that the database opens (and its key unlocks it), then listen and
 * serve until srv_stop(). On success *out is the running server. Fails
 * with MRM_ERR_INVALID for bad options (TLS asked of a libmicrohttpd
 * without TLS support included), the store's error for a database that
 * does not open, MRM_ERR_IO when the address cannot be listened on.
 */
int srv_start(struct srv **out, const struct srv_opts *o,
	      struct mrm_error *err);

/* The port the server listens on (useful with port 0). */
uint16_t srv_port(const struct srv *s);

/* "http" or "https". */
const char *srv_scheme(const struct srv *s);

/*
 * Forget who the tokens and sessions seen in the last few seconds stand
 * for (the server keeps that SRV_AUTH_TTL seconds, authcache.h), so that
 * a change made outside this server (at the command line, on the
 * database) holds from the next request on rather than a few seconds
 * later. Changes made through the server need nothing: it forgets them
 * itself.
 */
void srv_forget_logins(struct srv *s);

/*
 * Stop gracefully: stop accepting connections, let the requests in
 * flight finish (for up to drain_seconds), then close everything and free
 * the server. NULL is fine.
 */
void srv_stop(struct srv *s);

#endif
