# Guest side of scripts/demo: runs in the QEMU guest with $NVMESCAN_PCIE and $NVMESCAN_TCP set.
set -eu
. scripts/lib/jdk.sh
nvmescan() { scanner/target/nvmescan/bin/nvmescan "$@"; }
n=$(nvme list-ns "$NVMESCAN_TCP" | grep -c .)
step() { printf '\n==== %s\n$ nvmescan %s\n' "$1" "${*:2}"; }

step "QEMU's PCIe controller: sparse NSIDs, each with its kernel devices" scan "$NVMESCAN_PCIE"
nvmescan scan "$NVMESCAN_PCIE"
step "NVMe/TCP target, $n namespaces, $NVMESCAN_RTT round trip: concurrent, published in NSID-list order" \
	scan "$NVMESCAN_TCP"
nvmescan scan "$NVMESCAN_TCP"
step "Sequential vs unordered vs ordered on the same target, and the floor" bench "$NVMESCAN_TCP"
nvmescan bench "$NVMESCAN_TCP"
