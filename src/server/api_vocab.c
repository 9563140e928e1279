/* api_vocab.c - /api/v1/vocab/{scheme} */
#include "api.h"

#include "mrm/store.h"
#include "mrm/vocab.h"

#include <string.h>

int api_vocab_get(struct srv_req *r)
{
	const struct mrm_vocab *v = mrm_store_vocab(r->st);
	const char *scheme = r->args[0], *lang = srv_arg(r, "lang");
	const struct mrm_term *t;
	json_t *terms;
	size_t n = 0;
	int ok = 0;

	lang = lang && *lang ? lang : "en";
	for (int i = 0; i < MRM_VOCAB_NLANGS; i++)
		ok |= !strcmp(mrm_vocab_langs[i], lang);
	if (!ok)
		return srv_error(r, 400, "invalid", "lang",
				 "must be one of en, th, my, km, lo, vi, zh");
	t = mrm_vocab_terms(v, scheme, &n);
	if (!t)
		return srv_error(r, 404, "not-found", "scheme",
				 "no vocabulary \"%.64s\"", scheme);
	terms = json_array();
	for (size_t i = 0; terms && i < n; i++)
		json_array_append_new(
			terms,
			json_pack("{s:s, s:s?, s:s}", "code", t[i].code,
				  "parent",
				  t[i].parent && *t[i].parent ? t[i].parent
							      : NULL,
				  "label",
				  mrm_vocab_label(v, scheme, t[i].code, lang)));
	return srv_json(r, 200,
			json_pack("{s:s, s:s, s:o}", "scheme", scheme, "lang",
				  lang, "terms", terms));
}
