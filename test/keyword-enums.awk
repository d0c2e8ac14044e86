# Lists the enumerators of every public enum, read from the headers on
# standard input, one line per enum:
#   KW_ENUM(dmarc_policy, DMARC_POLICY_UNSPECIFIED, DMARC_POLICY_NONE, ...)
# test/test-keyword.c includes the result (test/keyword-enums.h), so a
# value appended to an enum is checked for a keyword without more ado.
#
# SPDX-License-Identifier: BSD-2-Clause
/^typedef enum dmarc_[a-z0-9_]+ *\{/ {
	name = $3
	sub(/\{.*/, "", name)
	list = ""
	next
}
name != "" && /^\}/ {
	printf "KW_ENUM(%s%s)\n", name, list
	name = ""
	next
}
name != "" && /^[ \t]*DMARC_[A-Z0-9_]+[ \t]*=/ {
	sub(/^[ \t]*/, "")
	sub(/[ \t]*=.*/, "")
	list = list ", " $0
}
