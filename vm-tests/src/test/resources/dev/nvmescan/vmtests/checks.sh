# Guest script shared by the vm-tests classes: runs every check on /dev/nvme0 once and leaves the
# outputs in $RESULTS for the JUnit side to compare. nvme-cli answers first, then nvmescan runs all
# its command lines in one JVM (GuestBatch).
set -u
. scripts/lib/jdk.sh
dev=/dev/nvme0
java=(java -XX:-UsePerfData --enable-native-access=ALL-UNNAMED)

nvme list-ns "$dev" | sed -n 's/.*\]:0x\([0-9a-f]*\).*/\1/p' | while read -r h; do echo $((16#$h)); done > "$RESULTS/nsids"
nvme id-ctrl -o json "$dev" > "$RESULTS/nvme-id-ctrl.json"
nvme list-ns -o json "$dev" > "$RESULTS/nvme-list-ns.json" 2>&1
nvme version > "$RESULTS/nvme-version"
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
} > "$batch"
while read -r n; do
	nvme id-ns -o json -n "$n" "$dev" > "$RESULTS/nvme-id-ns-$n.json"
	nvme ns-descs -o json -n "$n" "$dev" > "$RESULTS/nvme-ns-descs-$n.json"
	echo "id-ns-$n id-ns -o json -n $n $dev" >> "$batch"
	echo "ns-descs-$n ns-descs -o json -n $n $dev" >> "$batch"
done < "$RESULTS/nsids"
"${java[@]}" -cp vm-tests/target/test-classes:scanner/target/nvmescan.jar dev.nvmescan.vmtests.GuestBatch "$batch" "$RESULTS"

# A user without access to the device node.
setpriv --reuid=65534 --regid=65534 --clear-groups "${java[@]}" -jar scanner/target/nvmescan.jar id-ctrl "$dev" \
	> "$RESULTS/nonroot.out" 2> "$RESULTS/nonroot.err"
echo $? > "$RESULTS/nonroot.rc"
exit 0
