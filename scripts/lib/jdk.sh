# shellcheck shell=bash
# Sourced by the project's scripts: finds a JDK >= 25 and exports JAVA_HOME and PATH for it.
# Order: $JAVA_HOME if it is new enough, then /usr/lib/jvm/*, ~/.jdks/*, /opt/java/*, then `java` on PATH.

# jdk_feature DIR - print the feature release (17, 25, ...) of the JDK in DIR, nothing if none.
jdk_feature() {
	local release="$1/release" v
	[ -x "$1/bin/javac" ] || return 0
	if [ -r "$release" ]; then
		v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")
	else
		v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 |
			sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')
	fi
	echo "$v"
}

# find_jdk - print the home of the newest JDK >= 25, or fail with one sentence.
find_jdk() {
	local cand best="" best_v=0 v
	for cand in "${JAVA_HOME:-}" /usr/lib/jvm/* "$HOME"/.jdks/* /opt/java/* \
		"$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
		[ -n "$cand" ] && [ -d "$cand" ] || continue
		v=$(jdk_feature "$cand")
		[ -n "$v" ] && [ "$v" -ge 25 ] && [ "$v" -gt "$best_v" ] && { best="$cand"; best_v="$v"; }
	done
	if [ -z "$best" ]; then
		echo "nvmescan: no JDK 25 or newer found (looked at \$JAVA_HOME, /usr/lib/jvm, ~/.jdks, /opt/java and java on PATH); install one, e.g. Temurin 25." >&2
		return 1
	fi
	echo "$best"
}

JAVA_HOME=$(find_jdk) || exit 1
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
