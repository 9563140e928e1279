/*
 * utf8.h - UTF-8 validation and small text helpers.
 */
#ifndef MRM_UTF8_H
#define MRM_UTF8_H

#include <stddef.h>

/*
 * Check that s[0..len) is well-formed UTF-8 (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF). Returns len when valid, otherwise the
 * byte offset of the first bad sequence.
 */
size_t mrm_utf8_check(const char *s, size_t len);

/* Number of code points in valid UTF-8 text s[0..len). */
size_t mrm_utf8_length(const char *s, size_t len);

/*
 * Edit distance in code points between two valid UTF-8 strings, compared
 * case-insensitively for ASCII; used to suggest the closest valid terms.
 * Strings longer than 256 code points are cut there.
 */
size_t mrm_utf8_distance(const char *a, const char *b);

#endif
