/*
 * evcache.h - the JSON text of events lately shown, kept per connection.
 *
 * The server's worker connections (mrm_store_open_worker) are asked for
 * the same few events again and again. The text of an event without its
 * encrypted fields (the same for every reader not shown identities) is
 * kept, keyed by the event's id and tagged with the database's data
 * version (SQLITE_FCNTL_DATA_VERSION), which moves with every commit by
 * any connection or process: once it has moved, all that is kept is
 * dropped. Text with identities is never kept. Who may read an event is
 * checked before every use of it, as without the cache (events.c): the
 * cache saves writing the text, nothing else.
 *
 * Calls are made inside a read transaction, so that the version read is
 * that of the snapshot the text comes from.
 */
#ifndef MRM_EVCACHE_H
#define MRM_EVCACHE_H

#include <stddef.h>
#include <stdint.h>

#define EVCACHE_ENTRIES	 16
#define EVCACHE_TEXT_MAX (64u << 10) /* longer texts are not kept */

struct mrm_buf;
struct mrm_store;
struct evcache;

struct evcache *evcache_new(void); /* NULL: out of memory */
void evcache_free(struct evcache *c);

/* The cache of `st` (NULL: not a worker connection, nothing is kept). */
struct evcache *store_evcache(struct mrm_store *st);

/*
 * Append the kept text of event `id` to `out`: 1 when it was kept (at
 * the snapshot's version), 0 when not, mrm_buf_add()'s error when `out`
 * could not take it.
 */
int evcache_get(struct mrm_store *st, int64_t id, struct mrm_buf *out);

/* Keep text[0..len) as event `id`'s (best effort: nothing happens when it
 * is long or memory is short). */
void evcache_put(struct mrm_store *st, int64_t id, const char *text,
		 size_t len);

#endif
