# Guest script of TopologyTest: a host with several controllers (topology pcie+pcie+tcp-2paths+tcp:
# 2 PCIe controllers, an NVMe/TCP subsystem reached through 2 paths and one through 1, at the
# harness's --rtt), on a kernel with native multipath and the asynchronous namespace scan.
#  1. nvme-cli (sid's, $NVME) answers list and list -v first: the oracle.
#  2. nvmescan, in one JVM (GuestBatch): scan --all, list and list -v, which scan every controller
#     at once.
#  3. Stable names: udev-rules (the 2-path subsystem under the alias "mp"), checked by sid's udevadm
#     verify and test and installed into sid's systemd-udevd; names and a scan --all snapshot; then
#     the 2-path subsystem is disconnected and connected again, twice, and each time names and diff
#     run against the snapshot. Each round r leaves kernel-names-r (NQN NSID DEVICE WWID of every
#     namespace block device) and links-r (LINK TARGET WWID of every link under /dev/nvmescan).
# The JVM waits at each "await NAME" of the batch until this script has changed the host and
# created NAME.
set -u
. scripts/lib/jdk.sh
. scripts/vm/guest-lib.sh
java=(java -XX:-UsePerfData --enable-native-access=dev.nvmescan.nativebindings -p scanner/target/nvmescan/lib
	--add-modules dev.nvmescan.scanner --add-exports dev.nvmescan.scanner/dev.nvmescan.scanner.cli=ALL-UNNAMED)
cp=vm-tests/target/test-classes
read -r -a nqns <<< "$NVMESCAN_TCP_NQNS"
mp=${nqns[0]}

# Both read one host identity: nvme-cli runs in the sid root, nvmescan in this tree.
[ -d "$NVMESCAN_SID_ROOT/etc/nvme" ] && mount --bind "$NVMESCAN_SID_ROOT/etc/nvme" /etc/nvme
"$NVME" version > "$RESULTS/nvme-version"
"$NVME" list -o json > "$RESULTS/nvme-list.json"
"$NVME" list -v -o json > "$RESULTS/nvme-list-v.json"
echo "mp $mp" > "$RESULTS/aliases"

# kernel_names - NQN NSID DEVICE WWID of every namespace block device users open (heads with multipath)
kernel_names() {
	local b name nqn nsid wwid
	for b in /sys/class/block/nvme*n*; do
		name=${b##*/}
		[[ $name =~ ^nvme[0-9]+n[0-9]+$ ]] || continue
		read -r nqn < "$b/device/subsysnqn"
		read -r nsid < "$b/nsid"
		read -r wwid < "$b/wwid"
		echo "$nqn $nsid /dev/$name $wwid"
	done | sort -k1,1 -k2,2n
}

# links - LINK TARGET WWID of every stable link (udev's links are relative, ending in the device)
links() {
	local l t wwid
	[ -d /dev/nvmescan ] || return 0
	find /dev/nvmescan -type l -printf '%p %l\n' | sort | while read -r l t; do
		read -r wwid < "/sys/class/block/${t##*/}/wwid"
		echo "$l /dev/${t##*/} $wwid"
	done
}

# round N - record round N: the kernel's names and where the links lead
round() {
	kernel_names > "$RESULTS/kernel-names-$1"
	links > "$RESULTS/links-$1"
}

batch=$RESULTS/batch
{
	echo "all scan --all -o json"
	echo "list list -o json"
	echo "list-v list -v -o json"
	echo "rules udev-rules --aliases $RESULTS/aliases"
	echo "await rules-installed"
	echo "names-0 names -o json --aliases $RESULTS/aliases"
	echo "snapshot scan --all -o json"
	for r in 1 2; do
		echo "await reconnected-$r"
		echo "names-$r names -o json --aliases $RESULTS/aliases"
		echo "diff-$r diff -o json $RESULTS/snapshot.out"
	done
} > "$batch"
"${java[@]}" -cp "$cp" dev.nvmescan.vmtests.GuestBatch "$batch" "$RESULTS" &
jvm=$!

# at NAME - wait until the batch waits for NAME; fail if the JVM ended first
at() {
	until [ -e "$RESULTS/$1.waiting" ]; do
		kill -0 "$jvm" 2> /dev/null || { echo "topology.sh: the batch ended before $1" >&2; exit 1; }
		sleep 0.05
	done
}

at rules-installed
mkdir -p "$RESULTS/rules.d"
cp "$RESULTS/rules.out" "$RESULTS/rules.d/61-nvmescan.rules"
vm_udevd_start "$RESULTS/rules.d" || exit 1
"$UDEVADM" verify /run/udev/rules.d/61-nvmescan.rules > "$RESULTS/udevadm-verify.out" 2>&1
echo $? > "$RESULTS/udevadm-verify.rc"
head=$(kernel_names | awk -v n="$mp" '$1 == n { print $3; exit }')
"$UDEVADM" test "/sys/class/block/${head#/dev/}" > "$RESULTS/udevadm-test.out" 2>&1
echo $? > "$RESULTS/udevadm-test.rc"
round 0
touch "$RESULTS/rules-installed"

for r in 1 2; do
	at "reconnected-$r"
	vm_tcp_disconnect "$mp" || exit 1
	"$UDEVADM" settle --timeout=120
	vm_tcp_connect "$mp" || exit 1
	"$UDEVADM" settle --timeout=120 || exit 1
	round "$r"
	touch "$RESULTS/reconnected-$r"
done
wait "$jvm"
echo $? > "$RESULTS/batch.rc"
vm_udevd_stop
exit 0
