divert(-1)
# Booleans and conditional policy.

# gen_bool(name, default): a boolean policyd may change at run time.
define(`gen_bool', `bool $1 $2;')

# gen_tunable(name, default): SELinux decides tunables at compile time; the
# device has only run-time booleans, so a tunable is a boolean too.
define(`gen_tunable', `bool $1 $2;')

# tunable_policy(`expression', `rules if true', `rules if false'): a
# conditional block; the third argument is optional.  Only access-vector and
# type rules may appear inside (policy.conf allows no interface's optional
# block inside an if).
define(`tunable_policy', `if ($1) {
$2
}ifelse(`$3', `', `', ` else {
$3
}')')

# boolean_policy: the same, under the name used for run-time booleans.
define(`boolean_policy', defn(`tunable_policy'))

divert(0)dnl
