/* mapping.c - see mapping.h and include/mrm/import.h */
#include "mapping.h"

#include "mrm/embedded.h"
#include "mrm/import.h"
#include "mrm/vocab.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define VALUES_MAX 64 /* parts of one split cell */

static const char *const kind_names[MAP_KINDS] = {"event", "acts", "sources",
						  "interventions"};

void mrm_mapping_free(struct mrm_mapping *m)
{
	if (!m)
		return;
	for (int k = 0; k < MAP_KINDS; k++) {
		for (size_t g = 0; g < m->ngroups[k]; g++) {
			for (size_t i = 0; i < m->groups[k][g].n; i++)
				free(m->groups[k][g].specs[i].dates);
			free(m->groups[k][g].specs);
		}
		free(m->groups[k]);
	}
	for (size_t i = 0; i < m->nheader; i++)
		free(m->header[i]);
	free(m->header);
	json_decref(m->root);
	free(m);
}

/* Which group an entity's fields belong to. */
static enum map_kind kind_of(int field)
{
	switch (field < 0 ? MRM_ENT_EVENT : mrm_fields[field].ent) {
	case MRM_ENT_EVENT: return MAP_EVENT;
	case MRM_ENT_SOURCE: return MAP_SOURCE;
	case MRM_ENT_INTERVENTION: return MAP_INTERVENTION;
	default: return MAP_ACT;
	}
}

/* Currencies first: money fields read them. */
static int spec_order(const void *a, const void *b)
{
	const struct map_spec *x = a, *y = b;
	int cx = x->field >= 0 && mrm_fields[x->field].type == MRM_F_CURRENCY;
	int cy = y->field >= 0 && mrm_fields[y->field].type == MRM_F_CURRENCY;

	return cy - cx;
}

static int target_field(const char *target, int *field, const char **attr)
{
	*attr = NULL;
	*field = mrm_field_index(target);
	if (*field >= 0)
		return 0;
	if (mrm_field_is_attr(target)) {
		*attr = target + 5;
		return 0;
	}
	return -1;
}

static int bad_target(const char *where, const char *target,
		      struct mrm_error *err)
{
	char near[256];

	mrm_field_suggest(target, near, sizeof(near));
	return mrm_error_set(err, MRM_ERR_INVALID, where,
			     "unknown field \"%s\"; closest: %s (or attr.NAME)",
			     target, near);
}

static const char *opt_str(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static int parse_dates(struct map_spec *s, json_t *arr, const char *where,
		       struct mrm_error *err)
{
	size_t i;
	json_t *d;

	if (!json_is_array(arr))
		return mrm_error_set(err, MRM_ERR_INVALID, where,
				     "date_formats must be a list of "
				     "{\"format\", \"precision\"}");
	s->dates = calloc(json_array_size(arr) + 1, sizeof(*s->dates));
	if (!s->dates)
		return MRM_ERR_NOMEM;
	json_array_foreach(arr, i, d)
	{
		s->dates[i].format = opt_str(d, "format");
		s->dates[i].precision = opt_str(d, "precision");
		if (!s->dates[i].format || !s->dates[i].precision)
			return mrm_error_set(
				err, MRM_ERR_INVALID, where,
				"date_formats[%zu] needs \"format\" "
				"and \"precision\"",
				i);
	}
	s->ndates = json_array_size(arr);
	return 0;
}

static int parse_spec(struct map_spec *s, const char *target, json_t *obj,
		      const char *name, struct mrm_error *err)
{
	char where[300];
	json_t *idx = json_object_get(obj, "index");
	int sources;

	snprintf(where, sizeof(where), "%s: %s", name, target);
	memset(s, 0, sizeof(*s));
	s->target = target;
	s->col = -1;
	s->index = -1;
	if (target_field(target, &s->field, &s->attr))
		return bad_target(where, target, err);
	if (!json_is_object(obj))
		return mrm_error_set(err, MRM_ERR_INVALID, where,
				     "must be an object like {\"column\": "
				     "\"Name\"}");
	s->column = opt_str(obj, "column");
	s->value = opt_str(obj, "value");
	s->tmpl = opt_str(obj, "template");
	s->prefix = opt_str(obj, "prefix");
	s->split = opt_str(obj, "split");
	s->dflt = opt_str(obj, "default");
	s->map = json_object_get(obj, "map");
	if (s->split && !*s->split)
		return mrm_error_set(err, MRM_ERR_INVALID, where,
				     "\"split\" is empty: give the text "
				     "between values, such as \";\"");
	sources = !!s->column + !!s->value + !!s->tmpl;
	if (sources != 1)
		return mrm_error_set(
			err, MRM_ERR_INVALID, where,
			"give exactly one of \"column\", \"value\" "
			"or \"template\"");
	if (s->map && !json_is_object(s->map))
		return mrm_error_set(err, MRM_ERR_INVALID, where,
				     "\"map\" must be an object of value -> "
				     "value");
	if (idx) {
		if (!json_is_integer(idx) || json_integer_value(idx) < 0 ||
		    json_integer_value(idx) >= VALUES_MAX || !s->split)
			return mrm_error_set(
				err, MRM_ERR_INVALID, where,
				"\"index\" must be 0..%d and needs "
				"\"split\"",
				VALUES_MAX - 1);
		s->index = (int)json_integer_value(idx);
	}
	if (json_object_get(obj, "date_formats"))
		return parse_dates(s, json_object_get(obj, "date_formats"),
				   where, err);
	return 0;
}

static int parse_group(struct map_group *g, json_t *fields, const char *name,
		       enum map_kind kind, struct mrm_error *err)
{
	const char *target;
	json_t *spec;
	int rc = 0;

	if (!json_is_object(fields))
		return mrm_error_set(err, MRM_ERR_INVALID, name,
				     "\"%s\" must map field names to sources",
				     kind_names[kind]);
	g->specs = calloc(json_object_size(fields) + 1, sizeof(*g->specs));
	if (!g->specs)
		return MRM_ERR_NOMEM;
	json_object_foreach(fields, target, spec)
	{
		struct map_spec *s = &g->specs[g->n];

		rc = parse_spec(s, target, spec, name, err);
		g->n++;
		if (rc)
			return rc;
		if (kind_of(s->field) != kind)
			return mrm_error_set(
				err, MRM_ERR_INVALID, name,
				"field %s does not belong in \"%s\"", target,
				kind_names[kind]);
	}
	qsort(g->specs, g->n, sizeof(*g->specs), spec_order);
	return 0;
}

static int parse_groups(struct mrm_mapping *m, enum map_kind kind,
			const char *name, struct mrm_error *err)
{
	json_t *list = json_object_get(m->root, kind_names[kind]);
	size_t i;
	json_t *g;
	int rc = 0;

	if (!list)
		return 0;
	if (!json_is_array(list))
		return mrm_error_set(err, MRM_ERR_INVALID, name,
				     "\"%s\" must be a list of {\"fields\": "
				     "{...}}",
				     kind_names[kind]);
	m->groups[kind] =
		calloc(json_array_size(list) + 1, sizeof(struct map_group));
	if (!m->groups[kind])
		return MRM_ERR_NOMEM;
	json_array_foreach(list, i, g)
	{
		struct map_group *grp = &m->groups[kind][i];

		m->ngroups[kind]++;
		grp->require = opt_str(g, "require");
		if (grp->require && mrm_field_index(grp->require) < 0)
			return bad_target(name, grp->require, err);
		rc = parse_group(grp, json_object_get(g, "fields"), name, kind,
				 err);
		if (rc)
			return rc;
	}
	return 0;
}

int mrm_mapping_parse(struct mrm_mapping **out, const char *text, size_t len,
		      const char *name, struct mrm_error *err)
{
	struct mrm_mapping *m = calloc(1, sizeof(*m));
	json_error_t jerr;
	int rc = 0, has_key = 0;

	*out = NULL;
	if (!m)
		return mrm_error_set(err, MRM_ERR_NOMEM, name, "out of memory");
	m->root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!m->root) {
		char where[300];

		snprintf(where, sizeof(where), "%s:%d:%d", name, jerr.line,
			 jerr.column);
		rc = mrm_error_set(err, MRM_ERR_INVALID, where, "%s",
				   jerr.text);
		goto out;
	}
	if (!json_is_object(m->root) ||
	    strcmp(opt_str(m->root, "format") ? opt_str(m->root, "format") : "",
		   "mrm-mapping/1")) {
		rc = mrm_error_set(err, MRM_ERR_INVALID, name,
				   "not a mapping: expected an object with "
				   "\"format\": \"mrm-mapping/1\"");
		goto out;
	}
	m->name = opt_str(m->root, "name") ? opt_str(m->root, "name") : name;
	m->groups[MAP_EVENT] = calloc(1, sizeof(struct map_group));
	if (!m->groups[MAP_EVENT]) {
		rc = MRM_ERR_NOMEM;
		goto out;
	}
	m->ngroups[MAP_EVENT] = 1;
	rc = parse_group(m->groups[MAP_EVENT],
			 json_object_get(m->root, "event"), name, MAP_EVENT,
			 err);
	for (int k = MAP_ACT; !rc && k < MAP_KINDS; k++)
		rc = parse_groups(m, (enum map_kind)k, name, err);
	if (rc)
		goto out;
	for (size_t i = 0; i < m->groups[MAP_EVENT]->n; i++)
		has_key |= !strcmp(m->groups[MAP_EVENT]->specs[i].target,
				   "event.key");
	if (!has_key)
		rc = mrm_error_set(
			err, MRM_ERR_INVALID, name,
			"the mapping must give event.key (a stable "
			"id per row, so re-imports add nothing twice)");
out:
	if (rc == MRM_ERR_NOMEM)
		mrm_error_set(err, rc, name, "out of memory");
	if (rc)
		mrm_mapping_free(m);
	else
		*out = m;
	return rc;
}

int mrm_mapping_load(struct mrm_mapping **out, const char *path,
		     struct mrm_error *err)
{
	char shipped[256];
	const struct mrm_embedded *e;
	struct mrm_buf text = MRM_BUF_INIT(16u << 20);
	char chunk[8192];
	size_t n;
	FILE *fp;
	int rc = 0;

	snprintf(shipped, sizeof(shipped), "mappings/%s.json", path);
	e = mrm_embedded_find(shipped);
	if (e)
		return mrm_mapping_parse(out, (const char *)e->data, e->len,
					 shipped, err);
	fp = fopen(path, "rb");
	if (!fp)
		return mrm_error_set(err, MRM_ERR_IO, path,
				     "cannot open the mapping file (nor is it "
				     "a shipped mapping name)");
	while (!rc && (n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		rc = mrm_buf_add(&text, chunk, n);
	if (rc || ferror(fp))
		rc = mrm_error_set(err, rc ? rc : MRM_ERR_IO, path,
				   "cannot read the mapping file");
	else
		rc = mrm_mapping_parse(out, mrm_buf_str(&text), text.len, path,
				       err);
	fclose(fp);
	mrm_buf_release(&text);
	return rc;
}

/* Keep a copy of the header (a mapping may be bound again to a new file). */
static int copy_header(struct mrm_mapping *m, const char *const *header,
		       size_t n)
{
	for (size_t i = 0; i < m->nheader; i++)
		free(m->header[i]);
	free(m->header);
	m->nheader = 0;
	m->header = calloc(n + 1, sizeof(char *));
	if (!m->header)
		return MRM_ERR_NOMEM;
	for (size_t i = 0; i < n; i++) {
		if (!(m->header[i] = strdup(header[i])))
			return MRM_ERR_NOMEM;
		m->nheader++;
	}
	return 0;
}

int mapping_native(struct mrm_mapping **out, const char *const *header,
		   size_t n, const char *name, struct mrm_error *err)
{
	struct mrm_mapping *m = calloc(1, sizeof(*m));
	int rc = m ? copy_header(m, header, n) : MRM_ERR_NOMEM;
	int has_key = 0, has_title = 0;

	*out = NULL;
	if (m)
		m->name = "native";
	for (int k = 0; k < MAP_KINDS && !rc; k++) {
		m->ngroups[k] = 1;
		m->groups[k] = calloc(1, sizeof(struct map_group));
		if (!m->groups[k] || !(m->groups[k]->specs = calloc(
					       n + 1, sizeof(struct map_spec))))
			rc = MRM_ERR_NOMEM;
	}
	for (size_t i = 0; !rc && i < n; i++) {
		/* the specs point at the mapping's own copy of the header */
		struct map_spec s = {
			.target = m->header[i], .col = (int)i, .index = -1};
		struct map_group *g;
		char where[300];

		snprintf(where, sizeof(where), "%s:1:%zu", name, i + 1);
		if (target_field(s.target, &s.field, &s.attr)) {
			rc = bad_target(where, s.target, err);
			break;
		}
		has_key |= !strcmp(s.target, "event.key");
		has_title |= !strcmp(s.target, "event.title");
		g = m->groups[kind_of(s.field)];
		g->specs[g->n++] = s;
	}
	if (!rc && (!has_key || !has_title))
		rc = mrm_error_set(err, MRM_ERR_INVALID, name,
				   "the header needs event.key and event.title "
				   "(or give --mapping for another layout)");
	for (int k = 0; !rc && k < MAP_KINDS; k++)
		qsort(m->groups[k]->specs, m->groups[k]->n,
		      sizeof(struct map_spec), spec_order);
	if (rc) {
		if (rc == MRM_ERR_NOMEM)
			mrm_error_set(err, rc, name, "out of memory");
		mrm_mapping_free(m);
		return rc;
	}
	*out = m;
	return 0;
}

static int find_column(const struct mrm_mapping *m, const char *col)
{
	for (size_t i = 0; i < m->nheader; i++)
		if (!strcmp(m->header[i], col))
			return (int)i;
	for (size_t i = 0; i < m->nheader; i++)
		if (!strcasecmp(m->header[i], col))
			return (int)i;
	return -1;
}

static int missing_column(const struct mrm_mapping *m, const char *col,
			  const char *name, struct mrm_error *err)
{
	struct mrm_buf have = MRM_BUF_INIT(4096);

	for (size_t i = 0; i < m->nheader && i < 30; i++)
		mrm_buf_addf(&have, "%s\"%s\"", i ? ", " : "", m->header[i]);
	mrm_error_set(err, MRM_ERR_INVALID, name,
		      "mapping %s names column \"%s\", which the header lacks; "
		      "the header has: %s",
		      m->name, col, mrm_buf_str(&have));
	mrm_buf_release(&have);
	return MRM_ERR_INVALID;
}

/* Check every {Column} of a template exists. */
static int check_template(const struct mrm_mapping *m, const char *t,
			  const char *name, struct mrm_error *err)
{
	char col[256];

	for (const char *p = strchr(t, '{'); p; p = strchr(p + 1, '{')) {
		size_t n = strcspn(p + 1, "}");

		if (!p[1 + n] || n >= sizeof(col))
			return mrm_error_set(err, MRM_ERR_INVALID, name,
					     "template \"%s\": unclosed {", t);
		snprintf(col, sizeof(col), "%.*s", (int)n, p + 1);
		if (find_column(m, col) < 0)
			return missing_column(m, col, name, err);
	}
	return 0;
}

int mapping_bind(struct mrm_mapping *m, const char *const *header, size_t n,
		 const char *name, struct mrm_error *err)
{
	int rc = copy_header(m, header, n);

	for (int k = 0; !rc && k < MAP_KINDS; k++)
		for (size_t g = 0; !rc && g < m->ngroups[k]; g++)
			for (size_t i = 0; !rc && i < m->groups[k][g].n; i++) {
				struct map_spec *s = &m->groups[k][g].specs[i];

				if (s->column) {
					s->col = find_column(m, s->column);
					if (s->col < 0)
						rc = missing_column(m,
								    s->column,
								    name, err);
				} else if (s->tmpl) {
					rc = check_template(m, s->tmpl, name,
							    err);
				}
			}
	return rc;
}

int mapping_column(const struct mrm_mapping *m, int field)
{
	for (int k = 0; k < MAP_KINDS; k++)
		for (size_t g = 0; g < m->ngroups[k]; g++)
			for (size_t i = 0; i < m->groups[k][g].n; i++)
				if (m->groups[k][g].specs[i].field == field &&
				    m->groups[k][g].specs[i].col >= 0)
					return m->groups[k][g].specs[i].col;
	return -1;
}

/* ---- applying a mapping to one row ---- */

struct apply {
	const struct mrm_mapping *m;
	const char *const *fields;
	size_t nfields;
	const struct mrm_vocab *vocab;
	struct rec_row *row;
	map_error_fn on_error;
	void *ctx;
	int problems;
	struct mrm_buf tmp; /* the spec's raw text */
	/* the act group's further act.type values (arena offsets + 1) */
	uint32_t types[VALUES_MAX];
	size_t ntypes;
};

static void report(struct apply *a, const struct map_spec *s,
		   struct mrm_error *e)
{
	char ctx[300];

	if (s->col >= 0)
		snprintf(ctx, sizeof(ctx), "column \"%s\" (%s)",
			 a->m->header[s->col], s->target);
	else
		snprintf(ctx, sizeof(ctx), "%s", s->target);
	mrm_error_prefix(e, "%s", ctx);
	a->problems++;
	a->on_error(a->ctx, s->col, e);
}

/* A buffer of at most `max` bytes failed with `rc`: MRM_ERR_LIMIT is a
 * problem of the value (and 0 is returned), anything else stays fatal. */
static int too_long(struct apply *a, const struct map_spec *s, int rc,
		    size_t max)
{
	struct mrm_error e;

	if (rc != MRM_ERR_LIMIT)
		return rc;
	mrm_error_set(&e, rc, NULL, "value longer than %zu bytes", max);
	report(a, s, &e);
	return 0;
}

static const char *cell(const struct apply *a, int col)
{
	return col >= 0 && (size_t)col < a->nfields ? a->fields[col] : "";
}

/* The raw text of a spec for this row, before split and map. */
static int raw_text(struct apply *a, const struct map_spec *s)
{
	int rc = 0;

	mrm_buf_reset(&a->tmp);
	if (s->value)
		return mrm_buf_adds(&a->tmp, s->value);
	if (!s->tmpl)
		return mrm_buf_adds(&a->tmp, cell(a, s->col));
	for (const char *p = s->tmpl; *p && !rc;) {
		char col[256];
		size_t n;

		if (*p != '{') {
			n = strcspn(p, "{");
			rc = mrm_buf_add(&a->tmp, p, n);
			p += n;
			continue;
		}
		n = strcspn(p + 1, "}");
		snprintf(col, sizeof(col), "%.*s", (int)n, p + 1);
		rc = mrm_buf_adds(&a->tmp, cell(a, find_column(a->m, col)));
		p += n + 2;
	}
	return rc;
}

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/* Split the spec's text into values (in place in a->tmp). */
static size_t split_values(struct apply *a, const struct map_spec *s,
			   char **vals)
{
	char *p = trim(a->tmp.ptr ? a->tmp.ptr : (char *)"");
	size_t n = 0;

	if (!s->split) {
		vals[0] = p;
		return *p ? 1 : 0;
	}
	while (p && n < VALUES_MAX) {
		char *sep = strstr(p, s->split);

		if (sep)
			*sep = '\0';
		p = trim(p);
		if (*p)
			vals[n++] = p;
		p = sep ? sep + strlen(s->split) : NULL;
	}
	if (s->index >= 0) {
		if ((size_t)s->index >= n)
			return 0;
		vals[0] = vals[s->index];
		return 1;
	}
	return n;
}

static const char *map_value(const struct map_spec *s, const char *v)
{
	const char *k;
	json_t *to;

	if (!s->map)
		return v;
	to = json_object_get(s->map, v);
	if (!to) {
		json_t *cand;

		json_object_foreach(s->map, k, cand)
		{
			if (!strcasecmp(k, v)) {
				to = cand;
				break;
			}
		}
	}
	return json_is_string(to) ? json_string_value(to) : v;
}

/* Turn a value through the date formats into ISO text. */
static int convert_date(const struct map_spec *s, const char *v,
			struct mrm_buf *out, struct mrm_error *e)
{
	struct mrm_buf tried = MRM_BUF_INIT(1024);

	for (size_t i = 0; i < s->ndates; i++) {
		mrm_buf_reset(out);
		if (!mrm_date_parse_format(v, s->dates[i].format,
					   s->dates[i].precision, out, NULL))
			goto done;
		mrm_buf_addf(&tried, "%s\"%s\"", i ? ", " : "",
			     s->dates[i].format);
	}
	mrm_error_set(e, MRM_ERR_INVALID, NULL,
		      "bad date \"%s\": matches none of the formats %s", v,
		      mrm_buf_str(&tried));
	mrm_buf_release(&tried);
	return MRM_ERR_INVALID;
done:
	mrm_buf_release(&tried);
	return 0;
}

/*
 * Store value `v` of spec `s`: into `p`, the attributes, or (a `further`
 * act.type) a->types, for an act of its own. Problems are reported; only
 * running out of memory is returned.
 */
static int put_value(struct apply *a, const struct map_spec *s,
		     struct rec_part *p, const char *v, int further)
{
	struct rec_part extra;
	struct mrm_error e;
	int rc;

	if (s->attr)
		return too_long(a, s, rec_add_attr(a->row, s->attr, v),
				a->row->arena.max);
	mrm_error_clear(&e);
	if (!further) {
		rc = rec_put(a->row, p, s->field, v, a->vocab, &e);
	} else if (a->ntypes == VALUES_MAX) {
		rc = mrm_error_set(&e, MRM_ERR_LIMIT, NULL,
				   "more than %d act types in one row",
				   VALUES_MAX);
	} else {
		memset(&extra, 0, sizeof(extra));
		rc = rec_put(a->row, &extra, s->field, v, a->vocab, &e);
		if (!rc)
			a->types[a->ntypes++] = extra.off[s->field];
	}
	if (rc == MRM_ERR_NOMEM)
		return rc;
	if (rc)
		report(a, s, &e);
	return 0;
}

/* Apply one spec to the row: its values into `p` (or the attributes). Only
 * act.type and attributes take more than one value. */
static int apply_spec(struct apply *a, const struct map_spec *s,
		      struct rec_part *p)
{
	struct mrm_buf conv = MRM_BUF_INIT(1u << 20);
	struct mrm_buf full = MRM_BUF_INIT(1u << 20);
	int many = s->attr || s->field == mrm_field_index("act.type");
	char *vals[VALUES_MAX];
	struct mrm_error e;
	size_t n, done = 0;
	int rc = raw_text(a, s);

	if (!rc && !*trim(a->tmp.ptr ? a->tmp.ptr : (char *)"") && s->dflt) {
		mrm_buf_reset(&a->tmp);
		rc = mrm_buf_adds(&a->tmp, s->dflt);
	}
	if (rc) {
		rc = too_long(a, s, rc, a->tmp.max);
		goto out;
	}
	n = split_values(a, s, vals);
	for (size_t i = 0; i < n && !rc; i++) {
		const char *v = map_value(s, vals[i]);

		if (!*v)
			continue;
		if (done && !many) {
			mrm_error_set(&e, MRM_ERR_INVALID, NULL,
				      "takes one value, the cell has %zu "
				      "(give \"index\" to pick one)",
				      n);
			report(a, s, &e);
			break;
		}
		done++;
		if (s->prefix) {
			mrm_buf_reset(&full);
			rc = mrm_buf_adds(&full, s->prefix);
			if (!rc)
				rc = mrm_buf_adds(&full, v);
			if (rc) {
				rc = too_long(a, s, rc, full.max);
				continue;
			}
			v = mrm_buf_str(&full);
		}
		if (s->ndates && convert_date(s, v, &conv, &e)) {
			report(a, s, &e);
			continue;
		}
		rc = put_value(a, s, p, s->ndates ? mrm_buf_str(&conv) : v,
			       done > 1);
	}
out:
	mrm_buf_release(&full);
	mrm_buf_release(&conv);
	return rc;
}

static int required_ok(const struct rec_row *row, const struct rec_part *p,
		       const char *require)
{
	const char *v;

	if (!require)
		return 1;
	v = rec_get(row, p, mrm_field_index(require));
	return v && *v && strcmp(v, "0");
}

/* Drop the new parts that carry nothing or miss their requirement. */
static void prune(struct apply *a, const struct map_group *g,
		  struct rec_list *list, size_t start, int problems_before)
{
	int type = mrm_field_index("act.type");

	for (size_t i = start; i < list->n;) {
		struct rec_part *q = &list->v[i];
		int any = 0;

		for (size_t f = 0; f < REC_FIELDS_MAX; f++)
			any |= q->off[f] != 0;
		/* (an act.type that failed its check was reported already) */
		if (any && list == &a->row->acts && !q->off[type] &&
		    a->problems == problems_before &&
		    required_ok(a->row, q, g->require)) {
			struct mrm_error e;

			mrm_error_set(&e, MRM_ERR_INVALID, NULL,
				      "act fields are filled but act.type is "
				      "empty");
			a->problems++;
			a->on_error(a->ctx, -1, &e);
		} else if (any && required_ok(a->row, q, g->require)) {
			i++;
			continue;
		}
		memmove(q, q + 1, (list->n - i - 1) * sizeof(*q));
		list->n--;
	}
}

/*
 * Apply one group into a new part of `list` (or into the event). A
 * multi-valued act.type makes one act per value, each a copy of the whole
 * act with its own type.
 */
static int apply_group(struct apply *a, const struct map_group *g,
		       struct rec_list *list)
{
	int type = mrm_field_index("act.type");
	size_t start = list ? list->n : 0;
	int problems_before = a->problems;
	struct rec_part *p = list ? rec_list_add(list) : &a->row->event;
	int rc = 0;

	if (!p)
		return MRM_ERR_NOMEM;
	a->ntypes = 0;
	for (size_t i = 0; !rc && i < g->n; i++)
		rc = apply_spec(a, &g->specs[i], p);
	for (size_t k = 0; !rc && list && k < a->ntypes; k++) {
		struct rec_part *c = rec_list_add(list);

		if (!c)
			return MRM_ERR_NOMEM;
		*c = list->v[start];
		c->off[type] = a->types[k];
	}
	if (!rc && list)
		prune(a, g, list, start, problems_before);
	return rc;
}

int mapping_apply(const struct mrm_mapping *m, const char *const *fields,
		  size_t nfields, const struct mrm_vocab *vocab,
		  struct rec_row *row, map_error_fn on_error, void *ctx)
{
	struct rec_list *lists[MAP_KINDS] = {NULL, &row->acts, &row->sources,
					     &row->interventions};
	struct apply a = {.m = m,
			  .fields = fields,
			  .nfields = nfields,
			  .vocab = vocab,
			  .row = row,
			  .on_error = on_error,
			  .ctx = ctx,
			  .tmp = MRM_BUF_INIT(1u << 20)};
	int rc = 0;

	for (int k = 0; !rc && k < MAP_KINDS; k++)
		for (size_t g = 0; !rc && g < m->ngroups[k]; g++)
			rc = apply_group(&a, &m->groups[k][g], lists[k]);
	mrm_buf_release(&a.tmp);
	return rc ? rc : a.problems;
}
