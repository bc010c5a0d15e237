divert(-1)
# A tiny macro library for the broken-source corpus.
define(`file_rw', `{ read write }')
define(`rw_file', `allow $1 $2:file file_rw;')
divert(0)dnl
