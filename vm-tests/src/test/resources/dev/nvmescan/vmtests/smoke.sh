# Guest script of KernelSmokeTest: the short round on an older kernel. nvme-cli lists the NSIDs and
# answers Identify Controller (this tree's, and sid's into nvme-cli-$NVMESCAN_NVME_CLI/), then one
# JVM scans /dev/nvme0 and answers Identify Controller (GuestBatch).
set -u
. scripts/lib/jdk.sh
dev=/dev/nvme0
nvme list-ns "$dev" | sed -n 's/.*\]:0x\([0-9a-f]*\).*/\1/p' | while read -r h; do echo $((16#$h)); done > "$RESULTS/nsids"
nvme id-ctrl -o json "$dev" > "$RESULTS/nvme-id-ctrl.json"
nvme version > "$RESULTS/nvme-version"
sid=$RESULTS/nvme-cli-$NVMESCAN_NVME_CLI
mkdir -p "$sid"
"$NVME" version > "$sid/version"
"$NVME" id-ctrl -o json "$dev" > "$sid/id-ctrl.json"
for b in /sys/block/nvme*n*; do
	case ${b##*/} in *c*) continue ;; esac
	echo "$(cat "$b/nsid") /dev/${b##*/}"
done | sort -n > "$RESULTS/kernel-names"
printf 'scan-uring scan -o json --backend uring %s\nid-ctrl id-ctrl -o json %s\n' "$dev" "$dev" > "$RESULTS/batch"
# GuestBatch runs the CLI's commands in one JVM, on the installed layout's module path.
java -XX:-UsePerfData --enable-native-access=dev.nvmescan.nativebindings -p scanner/target/nvmescan/lib \
	--add-modules dev.nvmescan.scanner --add-exports dev.nvmescan.scanner/dev.nvmescan.scanner.cli=ALL-UNNAMED \
	-cp vm-tests/target/test-classes dev.nvmescan.vmtests.GuestBatch "$RESULTS/batch" "$RESULTS"
