# i18n.sh - the interface in English, Thai and Burmese: every English key of
# web/app/i18n.js has a Thai and a Burmese text (web/app/lang/) with the same placeholders,
# Burmese is Unicode (not Zawgyi), and every t('key') in web/app names a key.
. "$(dirname "$0")/lib.sh.inc"

command -v node >/dev/null 2>&1 || fail "node is missing (scripts/deps.sh installs it)"
expect_exit 0 node "$MRM_SOURCE_DIR/tests/cli/i18n_check.mjs" "$MRM_SOURCE_DIR"
contains out " 0 problem(s)"

# the check fails on a key missing from Thai or Burmese, names it, and
# on a changed placeholder
mkdir -p src/web/app
cp -R "$MRM_SOURCE_DIR/web/app/." src/web/app/
sed 's/^const en = {/&\n  onlyInEnglishForTest: '"'"'Only in English'"'"',/' src/web/app/i18n.js >src/i18n.js
mv src/i18n.js src/web/app/i18n.js
expect_exit 1 node "$MRM_SOURCE_DIR/tests/cli/i18n_check.mjs" "$T/src"
contains out "th.onlyInEnglishForTest: missing"
contains out "my.onlyInEnglishForTest: missing"

cp "$MRM_SOURCE_DIR/web/app/i18n.js" src/web/app/i18n.js
sed -i "s/^\(  refCount: '\)အတန်း {n} တန်း'/\1အတန်း {rows} တန်း'/" src/web/app/lang/my.js
expect_exit 1 node "$MRM_SOURCE_DIR/tests/cli/i18n_check.mjs" "$T/src"
contains out "my.refCount: placeholders"
lacks out "th.refCount"
