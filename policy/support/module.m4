divert(-1)
# Module, interface and template macros: the policy's structure.
#
# Quoting: m4's quotes are ` and ' (unchanged).  Quote every macro argument
# that holds policy text, e.g. interface(`console_write', `...'), so that its
# commas, parentheses and names are taken literally.  `#' starts a comment
# that m4 copies without expanding; `dnl' deletes to the end of the line.
#
# polc has no modules: one policy is all its sources together.  An
# optional { } block whose requirements are missing is dropped, as in
# SELinux; interfaces expand to such blocks so that calling the interface of
# a module that is not part of the policy drops the call instead of failing.

# policy_module(name, version): documents which module a .te file is.
# Expands to nothing: polc must not see `module' statements.
define(`policy_module', `')

# gen_require(`declarations'): the symbols the surrounding optional block
# needs, e.g. gen_require(`type console_t; class ipc { send };').  Only
# valid where policy.conf allows require: inside an optional block, which
# is where interface bodies and optional_policy put it.
define(`gen_require', `require {
$1
}')

# interface(`name', `body'): defines the macro name($1, $2, ...) whose
# expansion is body inside an optional block.  The body's gen_require is the
# block's requirement list; the expansion never declares anything that
# escapes the block, so interfaces are for rules, not declarations.
define(`interface', `define(`$1', `# interface $1
optional {
$2
}
')')

# template(`name', `body'): defines the macro name($1, ...) whose expansion
# is body pasted where it is called, at the top level.  Templates declare
# (types, roles, attributes) from their arguments, so their declarations are
# global; use interfaces, not gen_require, for what they need from other
# modules.
define(`template', `define(`$1', `# template $1
$2
')')

# optional_policy(`rules'): rules that apply only when every symbol in their
# gen_require (or the interfaces they call) exists.
define(`optional_policy', `optional {
$1
}')

divert(0)dnl
