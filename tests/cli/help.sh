# help.sh - help texts, usage errors and their exit statuses.
. "$(dirname "$0")/lib.sh.inc"

# The overview, three ways.
expect_exit 0 mrm --help
contains out "usage: mrm"
expect_exit 0 mrm help
contains out "usage: mrm"
cp out overview

# Every command listed by `mrm help`, both ways.
cmds=$(awk '/^commands:/ { f = 1; next } f && /^  [a-z]/ { print $1 }' overview)
[ -n "$cmds" ] || fail "mrm help lists no commands"
for c in init org user import export show search info demo-data help; do
	echo "$cmds" | grep -q -x -e "$c" || fail "mrm help does not list $c"
done
for c in $(echo "$cmds" | grep -v -x help); do
	expect_exit 0 mrm help "$c"
	contains out "usage: mrm $c"
	expect_exit 0 mrm "$c" --help
	contains out "usage: mrm $c"
done

# Unknown commands.
expect_exit 2 mrm nosuch
contains err 'no command "nosuch"'
expect_exit 2 mrm help nosuch

# Unknown options suggest the closest one.
expect_exit 2 mrm import --db x.db --skip-invalide in.csv
contains err "--skip-invalid"
expect_exit 2 mrm export --db x.db --fromat json
contains err "did you mean --format"
expect_exit 2 mrm search --db x.db --limt 3 word
contains err "did you mean --limit"

# Missing required options and values: usage errors (2), before any file
# is touched.
expect_exit 2 mrm init
contains err "--db"
expect_exit 2 mrm export --db x.db
contains err "--format"
expect_exit 2 mrm demo-data --db x.db
contains err "--events"
expect_exit 2 mrm org add --db x.db --code ABC
expect_exit 2 mrm init --db
contains err "needs a value"
for args in "info" "org list" "user list" "export --format json" \
	"search word" "show 1" "import in.csv"; do
	# shellcheck disable=SC2086
	expect_exit 2 mrm $args
	contains err "--db"
done
expect_exit 2 mrm show --db x.db notanumber
expect_exit 2 mrm info --db x.db --format yaml
[ ! -e x.db ] || fail "a usage error created x.db"

# Help on help, both ways.
expect_exit 0 mrm help help
contains out "usage: mrm help"
expect_exit 0 mrm help --help
contains out "usage: mrm help"

# mrm alone is a usage error (exit 2) that shows the overview.
expect_exit 2 mrm
cat out err >both
contains both "usage: mrm"
exit 0
