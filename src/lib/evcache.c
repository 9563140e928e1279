/* evcache.c - the JSON text of events lately shown (see evcache.h) */
#include "evcache.h"

#include "mrm/buf.h"
#include "mrm/store.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

struct evcache {
	struct {
		int64_t id; /* 0: a free slot */
		char *text;
		size_t len;
	} e[EVCACHE_ENTRIES];
	unsigned version; /* the data version of every entry */
	size_t next;	  /* the slot to fill next (oldest first out) */
};

struct evcache *evcache_new(void)
{
	return calloc(1, sizeof(struct evcache));
}

static void drop_all(struct evcache *c)
{
	for (size_t i = 0; i < EVCACHE_ENTRIES; i++) {
		free(c->e[i].text);
		c->e[i].text = NULL;
		c->e[i].id = 0;
	}
}

void evcache_free(struct evcache *c)
{
	if (c)
		drop_all(c);
	free(c);
}

/* The cache of `st`, emptied when the database moved on since. */
static struct evcache *current(struct mrm_store *st)
{
	struct evcache *c = store_evcache(st);
	unsigned v = 0;

	if (!c)
		return NULL;
	sqlite3_file_control(mrm_store_db(st), "main",
			     SQLITE_FCNTL_DATA_VERSION, &v);
	if (v != c->version) {
		drop_all(c);
		c->version = v;
	}
	return c;
}

int evcache_get(struct mrm_store *st, int64_t id, struct mrm_buf *out)
{
	struct evcache *c = current(st);

	for (size_t i = 0; c && i < EVCACHE_ENTRIES; i++)
		if (c->e[i].id == id && c->e[i].text) {
			int rc = mrm_buf_add(out, c->e[i].text, c->e[i].len);

			return rc ? rc : 1;
		}
	return 0;
}

void evcache_put(struct mrm_store *st, int64_t id, const char *text, size_t len)
{
	struct evcache *c = current(st);
	char *copy;

	if (!c || len > EVCACHE_TEXT_MAX || !(copy = malloc(len)))
		return;
	memcpy(copy, text, len);
	free(c->e[c->next].text);
	c->e[c->next].id = id;
	c->e[c->next].text = copy;
	c->e[c->next].len = len;
	c->next = (c->next + 1) % EVCACHE_ENTRIES;
}
