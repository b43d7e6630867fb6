# shellcheck shell=bash
# Sourced by bin/nvmescan and libexec/aot-train with $home set to the installation: the JVM options
# nvmescan runs with, in the array nvmescan_jvm. An AOT cache serves a JVM started as it was
# trained, so both take them from here.
#   -XX:+UseSerialGC    a one-off command's heap is small: no G1 threads and regions to set up
#   -XX:TieredStopAtLevel=1  C1 only: C2's compiles compete with the command for 2 cores and pay
#                       off too late (on this 2-core host: id-ctrl -13% wall, a 20000-namespace
#                       sim: scan -18%)
#   -XX:-UsePerfData    no hsperfdata file in /tmp (nor a failure where /tmp is read-only)
#   -Xlog:...           JVM warnings go to stderr, never into the JSON on stdout; the AOT cache's
#                       own are off: bin/nvmescan says in one line when it starts without it
#   --enable-native-access, -p   the bindings module alone calls native code; lib/ is the module path
nvmescan_jvm=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -Xlog:disable -Xlog:all=warning,aot*=off,cds*=off:stderr
	--enable-native-access=dev.nvmescan.nativebindings -p "$home/lib")

# jdk_build JDK - set REPLY to the JDK's exact build, JAVA_RUNTIME_VERSION of its release file
# (25.0.3+9-LTS): an AOT cache is valid for that build only. Builtins only, no process started.
jdk_build() {
	local line
	REPLY=
	[ -r "$1/release" ] || return 0
	while IFS= read -r line; do
		case $line in
		JAVA_RUNTIME_VERSION=*) line=${line#*=}; REPLY=${line//\"/}; return 0 ;;
		esac
	done < "$1/release"
}
