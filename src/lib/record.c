/* record.c - see record.h */
#include "record.h"

#include "mrm/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_MAX (64u << 20)
/* Storage a reset row keeps: rows wait in a ring of them, and an odd huge
 * row must not leave every slot holding its size. */
#define ARENA_KEEP (1u << 20)

void rec_row_init(struct rec_row *r)
{
	memset(r, 0, sizeof(*r));
	mrm_buf_init(&r->arena, ARENA_MAX);
}

void rec_row_release(struct rec_row *r)
{
	mrm_buf_release(&r->arena);
	free(r->attrs);
	free(r->acts.v);
	free(r->sources.v);
	free(r->interventions.v);
	rec_row_init(r);
}

void rec_row_reset(struct rec_row *r)
{
	r->org = 0;
	if (r->arena.cap > ARENA_KEEP)
		mrm_buf_release(&r->arena);
	else
		mrm_buf_reset(&r->arena);
	memset(&r->event, 0, sizeof(r->event));
	r->nattrs = 0;
	r->acts.n = r->sources.n = r->interventions.n = 0;
}

struct rec_part *rec_list_add(struct rec_list *l)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 4;
		struct rec_part *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		l->v = v;
		l->cap = cap;
	}
	memset(&l->v[l->n], 0, sizeof(l->v[0]));
	return &l->v[l->n++];
}

static int keep(struct rec_row *r, const char *s, uint32_t *off)
{
	size_t at = r->arena.len;
	int rc = mrm_buf_add(&r->arena, s, strlen(s) + 1);

	if (!rc)
		*off = (uint32_t)at + 1;
	return rc;
}

int rec_set(struct rec_row *r, struct rec_part *p, int field, const char *s)
{
	return keep(r, s, &p->off[field]);
}

const char *rec_str(const struct rec_row *r, uint32_t off)
{
	return off ? r->arena.ptr + off - 1 : NULL;
}

const char *rec_get(const struct rec_row *r, const struct rec_part *p,
		    int field)
{
	return rec_str(r, p->off[field]);
}

int rec_add_attr(struct rec_row *r, const char *name, const char *value)
{
	struct rec_attr *a;
	int rc;

	if (r->nattrs == r->capattrs) {
		size_t cap = r->capattrs ? r->capattrs * 2 : 8;

		a = realloc(r->attrs, cap * sizeof(*a));
		if (!a)
			return MRM_ERR_NOMEM;
		r->attrs = a;
		r->capattrs = cap;
	}
	a = &r->attrs[r->nattrs];
	rc = keep(r, name, &a->name);
	if (!rc)
		rc = keep(r, value, &a->value);
	if (!rc)
		r->nattrs++;
	return rc;
}

int rec_put(struct rec_row *r, struct rec_part *p, int field, const char *raw,
	    const struct mrm_vocab *vocab, struct mrm_error *err)
{
	const struct mrm_field *f = &mrm_fields[field];
	char currency[4] = "";
	size_t at = r->arena.len;
	int rc;

	/* a copy: the arena the currency lives in moves as it grows */
	if (f->type == MRM_F_MONEY && rec_get(r, p, mrm_field_index(f->aux)))
		snprintf(currency, sizeof(currency), "%s",
			 rec_get(r, p, mrm_field_index(f->aux)));
	rc = mrm_field_normalise(f, raw, *currency ? currency : NULL, vocab,
				 &r->arena, err);
	if (!rc) {
		rc = mrm_buf_addc(&r->arena, '\0');
		if (rc == MRM_ERR_LIMIT)
			mrm_error_set(err, rc, NULL,
				      "value longer than %zu bytes",
				      r->arena.max - at - 1);
		else if (rc)
			mrm_error_set(err, rc, NULL, "out of memory");
	}
	if (rc) {
		r->arena.len = at;
		return rc;
	}
	p->off[field] = (uint32_t)at + 1;
	return 0;
}
