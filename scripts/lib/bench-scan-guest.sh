# shellcheck shell=bash
# Sourced by the guest script scripts/bench-scan writes: measures one scenario inside the QEMU guest
# against $NVMESCAN_TCP (the first nvmet NVMe/TCP subsystem, N namespaces; the second has one, for
# the kernel's scan) and leaves raw results in $RESULTS:
#   bench-ioctl.json, bench-uring.json  `nvmescan bench -o json --repeat BENCH_REPEAT` per backend
#                                       (sequential once, unordered and ordered alternating, RTT and
#                                       floor, all from one JVM)
#   bench-sim.json    (SIM_RTT set) the same bench against the simulated controller with that latency
#                     and the target's namespaces: the JVM's own cost under TCG, without the kernel
#                     NVMe/TCP host and target that share the guest's 2 vCPUs
#   nvme-cli.txt      nvme-cli as a peer: `nvme list-ns` then `nvme id-ns` per NSID, one process each
#                     (the first CLI_LIMIT NSIDs only, when set: each process costs ~1 s under TCG)
#   trace.json        an ordered `nvmescan scan --trace` (the chart's input), its output scan.ndjson
#   cold.txt          COLD fresh `bin/nvmescan scan -o json` (ordered, the default backend), what a
#                     user runs: "cold WALL_MS ELAPSED_MS NAMESPACES_OK" per process
#   kernel-scan.txt   the kernel's own scan, last (it reconnects both subsystems): per round
#                     "round ONE_MS MANY_MS NAMES_OFF", the connect of the 1-namespace subsystem, of
#                     the N-namespace one (their difference is the kernel's scan of N), and how many
#                     of the N kernel names are off their NSID-list position
#   startup.md        (STARTUP=1) cold starts of one-off commands: scripts/bench-startup's table
# Set by the caller: STARTUP (0 or 1), REPEAT (timed cold starts per command), CLI_LIMIT (0: all),
# BENCH_REPEAT (runs of each concurrent mode), SIM_RTT (e.g. 150ms; unset: no simulated bench),
# COLD (fresh scans), KERNEL_ROUNDS (reconnects timed per subsystem).
set -u
. scripts/lib/jdk.sh
. scripts/vm/guest-lib.sh
dev=$NVMESCAN_TCP
read -r many_nqn one_nqn _ <<< "$NVMESCAN_TCP_NQNS"
# The installed layout's module path and native access, as bin/nvmescan runs it.
nvmescan=(--enable-native-access=dev.nvmescan.nativebindings -p scanner/target/nvmescan/lib
	-m dev.nvmescan.scanner/dev.nvmescan.scanner.cli.Nvmescan)
# The host's / is read-only here: no hsperfdata.
java=(java -XX:-UsePerfData)

now() { date +%s%N; }

# facts - what ran where, for the report.
facts() {
	{
		echo "kernel $(uname -r)"
		echo "nvme-cli $(nvme version | head -1)"
		echo "java $(java -version 2>&1 | head -1)"
		echo "cpus $(nproc)"
		echo "mem_kib $(sed -n 's/^MemTotal: *\([0-9]*\).*/\1/p' /proc/meminfo)"
		echo "netem $(tc qdisc show dev lo | head -1)"
	} > "$RESULTS/facts.txt"
}

# nvme_cli_loop - nvme-cli's answer to a scan: list the NSIDs, then one `nvme id-ns` per NSID.
nvme_cli_loop() {
	local t0 t1 n=0 nsid listed
	t0=$(now)
	listed=$(nvme list-ns "$dev" | sed -n 's/.*\]:0x\([0-9a-f]*\).*/\1/p')
	for nsid in $listed; do
		[ "$CLI_LIMIT" != 0 ] && [ "$n" -ge "$CLI_LIMIT" ] && break
		nvme id-ns -n $((16#$nsid)) "$dev" > /dev/null || echo "nvme id-ns -n $((16#$nsid)) failed" >&2
		n=$((n + 1))
	done
	t1=$(now)
	printf 'namespaces %d\nlisted %d\ncommands %d\nwall_ms %d\n' "$n" "$(echo $listed | wc -w)" $((n + 1)) \
		$(((t1 - t0) / 1000000)) > "$RESULTS/nvme-cli.txt"
}

# bench BACKEND - the three scan modes on one backend, one JVM.
bench() {
	"${java[@]}" "${nvmescan[@]}" bench -o json --repeat "$BENCH_REPEAT" --backend "$1" "$dev" > "$RESULTS/bench-$1.json" ||
		echo "bench --backend $1 failed" >&2
}

# bench_sim - the bench on the simulated controller, as many namespaces as the target has.
bench_sim() {
	local n
	n=$(nvme list-ns "$dev" | grep -c '\]:0x')
	"${java[@]}" "${nvmescan[@]}" bench -o json --repeat "$BENCH_REPEAT" "sim:?namespaces=$n&latency=$SIM_RTT" \
		> "$RESULTS/bench-sim.json" || echo "bench on the simulator failed" >&2
}

# trace - one ordered scan with a trace of every command and publication.
trace() {
	"${java[@]}" "${nvmescan[@]}" scan -o ndjson --mode ordered --backend uring --trace "$RESULTS/trace.json" "$dev" \
		> "$RESULTS/scan.ndjson" || echo "scan --trace: exit $? (errors in scan.ndjson)" >&2
}

# cold - fresh processes of the installed launcher, one ordered scan each: the wall time with the
# JVM's start, and the scan's own elapsed_ms from its summary.
cold() {
	local i t0 t1 out=$RESULTS/cold-scan.json
	for i in $(seq "$COLD"); do
		t0=$(now)
		scanner/target/nvmescan/bin/nvmescan scan -o json "$dev" > "$out" 2> "$RESULTS/cold-$i.err" ||
			echo "cold scan $i: exit $?" >&2
		t1=$(now)
		echo "cold $(((t1 - t0) / 1000000)) $(sed -n 's/.*"elapsed_ms": \([0-9]*\).*/\1/p' "$out" | tail -1)" \
			"$(grep -c '"status": "ok"' "$out")"
	done > "$RESULTS/cold.txt"
}

# kernel_scan - the kernel as a peer: reconnect the 1-namespace and the N-namespace subsystem in
# turn, each timed until its namespaces are in sysfs, and count the N names off their position.
kernel_scan() {
	local i one many off
	for i in $(seq "$KERNEL_ROUNDS"); do
		one=$(vm_kernel_scan_ms "$one_nqn") && many=$(vm_kernel_scan_ms "$many_nqn") && off=$(vm_names_off "$many_nqn") ||
			{ echo "kernel scan round $i failed" >&2; return 1; }
		echo "round $one $many $off"
	done > "$RESULTS/kernel-scan.txt"
}

# startup - one-off commands cold, through the installed launcher with and without its AOT cache,
# against java -version and nvme-cli (scripts/bench-startup, REPEAT pairs).
startup() {
	scripts/bench-startup --runs "$REPEAT" --device "$dev" > "$RESULTS/startup.md" 2>&1 ||
		echo "bench-startup failed (see startup.md)" >&2
}

facts
nvme_cli_loop
bench ioctl
bench uring
[ -n "${SIM_RTT:-}" ] && bench_sim
trace
cold
[ "$STARTUP" = 1 ] && startup
kernel_scan
exit 0
