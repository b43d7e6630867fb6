# Guest script shared by the vm-tests classes: runs every check on /dev/nvme0 once and leaves the
# outputs in $RESULTS for the JUnit side to compare. nvme-cli answers first, then nvmescan runs all
# its command lines in one JVM (GuestBatch). sid's nvme-cli ($NVME, 2.16), whose JSON nvmescan
# follows key for key, answers into nvme-cli-$NVMESCAN_NVME_CLI/; this tree's nvme-cli (2.3 on
# Debian 12) answers into nvme-*.json, compared through its release's quirks (NvmeCliQuirks).
set -u
. scripts/lib/jdk.sh
dev=/dev/nvme0
# GuestBatch runs the CLI's commands in one JVM, on the installed layout's module path.
java=(java -XX:-UsePerfData --enable-native-access=dev.nvmescan.nativebindings -p scanner/target/nvmescan/lib
	--add-modules dev.nvmescan.scanner --add-exports dev.nvmescan.scanner/dev.nvmescan.scanner.cli=ALL-UNNAMED)

nvme list-ns "$dev" | sed -n 's/.*\]:0x\([0-9a-f]*\).*/\1/p' | while read -r h; do echo $((16#$h)); done > "$RESULTS/nsids"
nvme id-ctrl -o json "$dev" > "$RESULTS/nvme-id-ctrl.json"
nvme list-ns -o json "$dev" > "$RESULTS/nvme-list-ns.json" 2>&1
nvme version > "$RESULTS/nvme-version"
sid=$RESULTS/nvme-cli-$NVMESCAN_NVME_CLI
mkdir -p "$sid"
"$NVME" version > "$sid/version"
"$NVME" id-ctrl -o json "$dev" > "$sid/id-ctrl.json"
"$NVME" list-ns -o json "$dev" > "$sid/list-ns.json"
"$NVME" list -o json > "$sid/list.json"
"$NVME" list -v -o json > "$sid/list-v.json"
# The text output, compared line for line; C locale, as nvme-cli sets without -H (with -H it keeps
# the user's, whose thousands separators nvmescan does not print).
LC_ALL=C "$NVME" id-ctrl "$dev" > "$sid/id-ctrl.txt"
LC_ALL=C "$NVME" id-ctrl -H "$dev" > "$sid/id-ctrl-H.txt"
# The kernel's names: NSID -> block device (paths of a multipath head are hidden as nvmeXcYnZ).
for b in /sys/block/nvme*n*; do
	case ${b##*/} in *c*) continue ;; esac
	echo "$(cat "$b/nsid") /dev/${b##*/}"
done | sort -n > "$RESULTS/kernel-names"

batch=$RESULTS/batch
{
	echo "scan-uring scan -o json --backend uring $dev"
	echo "scan-ioctl scan -o json --backend ioctl $dev"
	echo "id-ctrl id-ctrl -o json $dev"
	echo "list-ns list-ns -o json $dev"
	echo "not-nvme id-ctrl /dev/null"
	echo "missing id-ctrl /dev/nvme9"
	echo "block-device id-ctrl -o json ${dev}n1"
	echo "block-device-scan scan -o json ${dev}n1"
	echo "list list -o json"
	echo "id-ctrl-text id-ctrl $dev"
	echo "id-ctrl-text-H id-ctrl -H $dev"
} > "$batch"
while read -r n; do
	nvme id-ns -o json -n "$n" "$dev" > "$RESULTS/nvme-id-ns-$n.json"
	nvme ns-descs -o json -n "$n" "$dev" > "$RESULTS/nvme-ns-descs-$n.json"
	"$NVME" id-ns -o json -n "$n" "$dev" > "$sid/id-ns-$n.json"
	"$NVME" ns-descs -o json -n "$n" "$dev" > "$sid/ns-descs-$n.json"
	LC_ALL=C "$NVME" id-ns -n "$n" "$dev" > "$sid/id-ns-$n.txt"
	LC_ALL=C "$NVME" id-ns -H -n "$n" "$dev" > "$sid/id-ns-$n-H.txt"
	LC_ALL=C "$NVME" ns-descs -n "$n" "$dev" > "$sid/ns-descs-$n.txt"
	echo "id-ns-text-$n id-ns -n $n $dev" >> "$batch"
	echo "id-ns-text-$n-H id-ns -H -n $n $dev" >> "$batch"
	echo "ns-descs-text-$n ns-descs -n $n $dev" >> "$batch"
	echo "id-ns-$n id-ns -o json -n $n $dev" >> "$batch"
	echo "ns-descs-$n ns-descs -o json -n $n $dev" >> "$batch"
done < "$RESULTS/nsids"
cp=vm-tests/target/test-classes
"${java[@]}" -cp "$cp" dev.nvmescan.vmtests.GuestBatch "$batch" "$RESULTS"

# A user without access to the device node.
setpriv --reuid=65534 --regid=65534 --clear-groups scanner/target/nvmescan/bin/nvmescan id-ctrl "$dev" \
	> "$RESULTS/nonroot.out" 2> "$RESULTS/nonroot.err"
echo $? > "$RESULTS/nonroot.rc"

[ "$NVMESCAN_TOPOLOGY" = tcp ] || exit 0

# A short soak: fresh processes, as a user starts nvmescan, each warming up its JIT (which patches
# compiled code the other vCPU runs); then the guest CPU itself: code rewritten under a caller must
# run whole (CrossModifiedCode). A JVM that dies leaves hs_err_pidN.log in the results.
for i in 1 2; do
	for b in uring ioctl; do
		scanner/target/nvmescan/bin/nvmescan scan -o json --backend "$b" "$dev" \
			> "$RESULTS/fresh-$b-$i.out" 2> "$RESULTS/fresh-$b-$i.err"
		echo $? > "$RESULTS/fresh-$b-$i.rc"
	done
done
java -XX:-UsePerfData --enable-native-access=ALL-UNNAMED -cp "$cp" dev.nvmescan.vmtests.CrossModifiedCode 10 \
	> "$RESULTS/xmc.out" 2> "$RESULTS/xmc.err"
echo $? > "$RESULTS/xmc.rc"

# Faults on the NVMe/TCP target, last: they change it. One JVM (warm after the first) runs a
# one-command-at-a-time scan per fault, each with 50 ms of round trip so that the rest of the scan
# takes seconds however slow this shell is; the script strikes once the scan has published 3
# namespaces, and records the NSID list the scan will read in NAME.nsids. The faults:
#  - disabled: the list's last namespace is disabled in nvmet's configfs: it must be published in
#    its place as an error entry, and the scan must finish;
#  - reset: the controller is reset (nvme reset);
#  - unplugged: the target port stops serving the subsystem (its configfs link is removed), and
#    serves it again once the scan is over;
#  - added: a namespace is added (the target sends an AEN, the kernel rescans);
#  - lost: every packet on lo is lost, just before a scan starts: its first command must give up
#    after --timeout, clearly (the kernel's keep-alive notices the loss after about 5 s).
# Every namespace of the list must be published in its place, as data or an error entry, none
# later than --timeout allows, with the exit code the README documents.
nvmet=/sys/kernel/config/nvmet
nqn=$(cat /sys/class/nvme/nvme0/subsysnqn)
tc qdisc replace dev lo root netem delay 50ms
# published NAME - namespaces in scan NAME's output so far (bash builtins only: no fork per poll)
published() {
	local n=0 line
	[ -e "$RESULTS/$1.out" ] || { echo 0; return; }
	while IFS= read -r line; do [[ $line == *'"type":"namespace"'* ]] && n=$((n + 1)); done < "$RESULTS/$1.out"
	echo "$n"
}
# start NAME - records the NSID list, lets the batch past "await NAME", and returns once scan NAME
# has published 3 namespaces (or ended), leaving that count in NAME.at
start() {
	local i
	for i in $(seq 30000); do [ -e "$RESULTS/$1.waiting" ] && break; sleep 0.01; done
	nvme list-ns "$dev" | sed -n 's/.*\]:0x\([0-9a-f]*\).*/\1/p' | while read -r h; do echo $((16#$h)); done > "$RESULTS/$1.nsids"
	touch "$RESULTS/$1"
	for i in $(seq 6000); do
		[ "$(published "$1")" -ge 3 ] || [ -e "$RESULTS/$1.rc" ] && break
		sleep 0.01
	done
	published "$1" > "$RESULTS/$1.at"
}
# finish NAME - waits for scan NAME to end, then up to a minute for the controller to be live again
finish() {
	local i
	for i in $(seq 30000); do [ -e "$RESULTS/$1.rc" ] && break; sleep 0.01; done
	for i in $(seq 600); do [ "$(cat /sys/class/nvme/nvme0/state)" = live ] && break; sleep 0.1; done
	cat /sys/class/nvme/nvme0/state > "$RESULTS/$1.state"
}
scan="scan -o ndjson --mode sequential --queue-depth 1"
{
	for f in disabled reset unplugged added; do
		echo "await $f"
		echo "$f $scan --timeout 5s $dev"
	done
	echo "after-added list-ns -o json $dev"
	echo "await lossy"
	echo "lost scan -o json --timeout 2s $dev"
} > "$RESULTS/batch-faults"
timeout 600 "${java[@]}" -cp "$cp" dev.nvmescan.vmtests.GuestBatch "$RESULTS/batch-faults" "$RESULTS" &
batch_pid=$!

last=$(tail -n 1 "$RESULTS/nsids")
start disabled
echo 0 > "$(echo $nvmet/subsystems/*/namespaces/"$last"/enable)"
finish disabled

start reset
nvme reset "$dev" > "$RESULTS/reset.nvme" 2>&1
finish reset

port=$(dirname "$(dirname "$(echo $nvmet/ports/*/subsystems/"$nqn")")")
start unplugged
rm "$port/subsystems/$nqn"
for i in $(seq 30000); do [ -e "$RESULTS/unplugged.rc" ] && break; sleep 0.01; done
ln -s "$nvmet/subsystems/$nqn" "$port/subsystems/$nqn"
finish unplugged

start added
ns=$(echo $nvmet/subsystems/*/namespaces/1)
mkdir "${ns%/1}/50"
cat "$ns/device_path" > "${ns%/1}/50/device_path"
echo 1 > "${ns%/1}/50/enable"
finish added

for i in $(seq 30000); do [ -e "$RESULTS/lossy.waiting" ] && break; sleep 0.01; done
tc qdisc replace dev lo root netem delay 5ms loss 100%
touch "$RESULTS/lossy"
wait "$batch_pid"
exit 0
