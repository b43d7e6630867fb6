# Guest side of scripts/demo, on a kernel that scans namespaces asynchronously (Linux 7.x): the
# kernel's names out of order and moving on a reconnect; nvmescan's ordered scan; stable links
# that do not move; diff telling exactly what did. Every step is one fresh nvmescan process, as a
# user runs it.
set -eu
. scripts/lib/jdk.sh
. scripts/vm/guest-lib.sh
nvmescan() { scanner/target/nvmescan/bin/nvmescan "$@"; }
read -r nqn _ <<< "$NVMESCAN_TCP_NQNS"
aliases=/run/nvmescan-aliases
echo "demo $nqn" > "$aliases"
n=$(vm_tcp_namespaces "$nqn")
step() { printf '\n==== %s\n' "$*"; }
run() { printf '$ nvmescan %s\n' "$*"; nvmescan "$@"; }
# links_now - LINK WWID for every stable link, sorted: what each link leads to, by unique ID
links_now() {
	find /dev/nvmescan -type l -printf '%p %l\n' | sort | while read -r l t; do
		echo "$l $(cat "/sys/class/block/${t##*/}/wwid")"
	done
}
# kernel_names - the kernel's names, NSID and device, ten of them then how many are off
kernel_names() {
	vm_kernel_names "$nqn" > "$1"
	head -n 10 "$1" | while read -r nsid dev; do printf '  NSID %-4s is %s\n' "$nsid" "$dev"; done
	echo "  ... $(vm_names_off "$nqn") of $n names are off their NSID-list position"
}

step "Linux $(uname -r) named the $n namespaces of $nqn as their Identify completed ($NVMESCAN_RTT round trip):"
kernel_names /run/names-1

ctrl=$(vm_tcp_controllers "$nqn" | head -1)
step "nvmescan identifies them all at once and prints them in NSID-list order, with the kernel's names:"
run scan "$ctrl"

step "Stable links instead: udev rules keyed on the subsystem and the NSID or unique ID (no program per event)"
nvmescan udev-rules --aliases "$aliases" "$ctrl" > /run/61-nvmescan.rules
printf '$ nvmescan udev-rules ... > 61-nvmescan.rules (%d rules)\n' "$(grep -c 'SYMLINK' /run/61-nvmescan.rules)"
mkdir -p /run/demo-rules && cp /run/61-nvmescan.rules /run/demo-rules/
vm_udevd_start /run/demo-rules
run names --aliases "$aliases" "$ctrl" | sed -n 1,9p
links_now > /run/links-1
nvmescan scan -o json "$ctrl" > /run/snapshot.json
echo '$ nvmescan scan -o json ... > snapshot.json'

step "Disconnect and connect the target again, as a reboot or a path failure does"
vm_tcp_disconnect "$nqn"
vm_tcp_connect "$nqn"
"$UDEVADM" settle --timeout=120
kernel_names /run/names-2
moved=$(awk 'NR == FNR { before[$1] = $2; next } before[$1] != $2' /run/names-1 /run/names-2 | wc -l)
echo "  $moved of $n namespaces have another /dev/nvmeXnY than before the reconnect"

step "The stable links did not move: each still leads to the namespace with the same unique ID"
links_now > /run/links-2
echo "  $(comm -12 /run/links-1 /run/links-2 | wc -l) of $(wc -l < /run/links-1) links lead to the same namespace as before"
ls -l /dev/nvmescan/demo/nsid | sed -n 2,4p

ctrl=$(vm_tcp_controllers "$nqn" | head -1)
step "nvmescan diff against the snapshot: nothing added, removed or changed; the kernel's names moved (exit 1)"
echo "\$ nvmescan diff /run/snapshot.json $ctrl"
rc=0
nvmescan diff /run/snapshot.json "$ctrl" > /run/diff.out || rc=$?
sed -n 1,6p /run/diff.out
echo "  ... $(grep -c '^moved' /run/diff.out) moved, $(grep -vc '^moved' /run/diff.out) other lines; exit $rc"

step "Sequential vs unordered vs ordered on the same target, beside the floor"
run bench "$ctrl"
vm_udevd_stop
