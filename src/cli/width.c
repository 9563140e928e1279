/* width.c - how wide text is on a terminal, for aligned tables in every
 * script the network writes. */
#include "cli.h"

#include <stdint.h>
#include <string.h>

/* Combining marks that take no column of their own (Thai, Lao, Khmer,
 * Burmese vowel signs and tone marks; Vietnamese's combining accents). */
static const struct {
	uint32_t from, to;
} zero_width[] = {
	{0x0300, 0x036F}, {0x0E31, 0x0E31}, {0x0E34, 0x0E3A}, {0x0E47, 0x0E4E},
	{0x0EB1, 0x0EB1}, {0x0EB4, 0x0EBC}, {0x0EC8, 0x0ECD}, {0x102B, 0x103E},
	{0x1056, 0x1059}, {0x105E, 0x1060}, {0x1062, 0x1064}, {0x1067, 0x106D},
	{0x1071, 0x1074}, {0x1082, 0x108D}, {0x108F, 0x108F}, {0x109A, 0x109D},
	{0x17B4, 0x17D3}, {0x17DD, 0x17DD}, {0x200B, 0x200F}, {0xFE00, 0xFE0F},
};

static int cp_width(uint32_t cp)
{
	for (size_t i = 0; i < sizeof(zero_width) / sizeof(zero_width[0]); i++)
		if (cp >= zero_width[i].from && cp <= zero_width[i].to)
			return 0;
	/* East Asian wide: CJK, Hangul, fullwidth forms */
	if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
	    (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	    (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0x20000 && cp <= 0x3FFFD))
		return 2;
	return 1;
}

int cli_width(const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	int w = 0;

	while (*s) {
		uint32_t cp = *s++;

		if (cp >= 0xC0) {
			int extra = cp >= 0xF0 ? 3 : cp >= 0xE0 ? 2 : 1;

			cp &= 0x3Fu >> extra;
			while (extra-- && (*s & 0xC0) == 0x80)
				cp = (cp << 6) | (*s++ & 0x3Fu);
		}
		w += cp_width(cp);
	}
	return w;
}

void cli_pad(FILE *out, const char *text, int width, int right)
{
	int pad = width - cli_width(text);

	if (right)
		for (; pad > 0; pad--)
			fputc(' ', out);
	fputs(text, out);
	if (!right)
		for (; pad > 0; pad--)
			fputc(' ', out);
}
