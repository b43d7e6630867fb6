# shellcheck shell=bash
# Helpers for guest scripts of scripts/vm/run (`. scripts/vm/guest-lib.sh`), also used by
# guest-run to set the topology up. NQN is one of $NVMESCAN_TCP_NQNS.
#
#   vm_tcp_connect NQN      connect NQN through each of its paths; wait until every one of its
#                           controllers shows all its enabled namespaces
#   vm_tcp_disconnect NQN   disconnect every controller of NQN; wait until they are gone
#   vm_tcp_controllers NQN  its controllers (/dev/nvmeX), in path (port) order
#   vm_kernel_scan_ms NQN   disconnect NQN if connected, connect it and print the milliseconds until
#                           the kernel showed all its namespaces: the kernel's own scan plus the
#                           connect (time a 1-namespace subsystem too and take the difference)
#   vm_kernel_names NQN     "NSID DEVICE" per namespace in NSID-list order, DEVICE being the block
#                           device users open (/dev/nvmeSnZ, the head with multipath)
#   vm_names_off NQN        how many of those names are off their NSID-list position (Z of nvmeSnZ
#                           is not the namespace's 1-based position in the list)
#   vm_udevd_start [DIR...] copy each DIR's *.rules into /run/udev/rules.d, start sid's
#                           systemd-udevd and replay the devices' add events (vm_udevd_trigger)
#   vm_udevd_trigger        reload the rules, replay the add events of block and nvme devices and
#                           wait for udevd to finish them (udevadm settle)
#   vm_udevd_stop           stop systemd-udevd
# Each returns non-zero with a line on stderr when it fails or times out. $NVME and $UDEVADM (sid's
# nvme-cli and udevadm) see the guest's /dev, /sys, /proc and /run; udev's links show in /dev.

VM_HOSTNQN=nqn.2026-11.dev.nvmescan:guest-host
VM_HOSTID=6e766d65-7363-616e-0000-000000000001
VM_NVMET=/sys/kernel/config/nvmet

# vm_fail MESSAGE - print MESSAGE on stderr and return 1.
vm_fail() { echo "guest-lib: $*" >&2; return 1; }

# vm_tcp_paths NQN - how many paths (target ports) the topology gives subsystem NQN.
vm_tcp_paths() {
	local nqn paths
	while read -r nqn paths; do
		[ "$nqn" = "$1" ] && { echo "$paths"; return 0; }
	done < /run/nvmescan/tcp
	vm_fail "$1 is not an NVMe/TCP subsystem of this topology ($NVMESCAN_TCP_NQNS)"
}

# vm_tcp_controllers NQN - NQN's controllers, /dev/nvmeX, ordered by target port.
vm_tcp_controllers() {
	local c nqn addr
	for c in /sys/class/nvme/nvme*; do
		[ -e "$c/subsysnqn" ] || continue
		read -r nqn < "$c/subsysnqn"
		[ "$nqn" = "$1" ] || continue
		read -r addr < "$c/address"
		[[ $addr =~ trsvcid=([0-9]+) ]] && echo "${BASH_REMATCH[1]} /dev/${c##*/}"
	done | sort -n | cut -d' ' -f2
}

# vm_ctrl_namespaces CTRL - how many namespaces the kernel shows on controller CTRL (/dev/nvmeX):
# nvmeXnY, or the path devices nvmeScXnZ with multipath.
vm_ctrl_namespaces() {
	local c=${1#/dev/} n=0 e
	local x=${c#nvme}
	for e in /sys/class/nvme/"$c"/nvme*; do
		[[ ${e##*/} =~ ^nvme([0-9]+c${x}|${x})n[0-9]+$ ]] && n=$((n + 1))
	done
	echo "$n"
}

# vm_tcp_namespaces NQN - how many namespaces of NQN are enabled in nvmet's configfs.
vm_tcp_namespaces() {
	local n=0 e on
	for e in "$VM_NVMET/subsystems/$1"/namespaces/*/enable; do
		[ -e "$e" ] || continue
		read -r on < "$e"
		[ "$on" = 1 ] && n=$((n + 1))
	done
	echo "$n"
}

# vm_wait_namespaces N SECONDS CTRL... - wait until every CTRL shows N namespaces.
vm_wait_namespaces() {
	local n=$1 secs=$2 c deadline
	shift 2
	deadline=$((${EPOCHREALTIME/./} + secs * 1000000))
	for c in "$@"; do
		while [ "$(vm_ctrl_namespaces "$c")" -lt "$n" ]; do
			[ "${EPOCHREALTIME/./}" -lt "$deadline" ] ||
				vm_fail "$c shows $(vm_ctrl_namespaces "$c") of $n namespaces after ${secs} s" || return 1
			sleep 0.01
		done
	done
}

# vm_tcp_connect NQN - connect NQN through each of its paths and wait for all its namespaces (60 s
# plus half a second per namespace). It writes the options to /dev/nvme-fabrics itself, as nvme-cli
# does, without the seconds that nvme-cli's scan of the whole topology costs under TCG.
vm_tcp_connect() {
	local nqn=$1 paths p n fd reply
	paths=$(vm_tcp_paths "$nqn") || return 1
	for p in $(seq "$paths"); do
		exec {fd}<>/dev/nvme-fabrics || vm_fail "cannot open /dev/nvme-fabrics" || return 1
		printf 'transport=tcp,traddr=127.0.0.1,trsvcid=%s,nqn=%s,hostnqn=%s,hostid=%s' \
			$((4419 + p)) "$nqn" "$VM_HOSTNQN" "$VM_HOSTID" >&"$fd" && read -r reply <&"$fd"
		exec {fd}>&-
		[[ ${reply:-} == instance=* ]] || vm_fail "connect $nqn through port $((4419 + p)) failed" || return 1
	done
	n=$(vm_tcp_namespaces "$nqn")
	# shellcheck disable=SC2046
	vm_wait_namespaces "$n" $((60 + n / 2)) $(vm_tcp_controllers "$nqn")
}

# vm_tcp_disconnect NQN - delete NQN's controllers and wait (60 s) until they are gone.
vm_tcp_disconnect() {
	local c i
	for c in $(vm_tcp_controllers "$1"); do
		echo 1 > "/sys/class/nvme/${c#/dev/}/delete_controller" 2>/dev/null
	done
	for i in $(seq 600); do
		[ -z "$(vm_tcp_controllers "$1")" ] && return 0
		sleep 0.1
	done
	vm_fail "$1 still has controllers 60 s after deleting them"
}

# vm_kernel_scan_ms NQN - (re)connect NQN and print the milliseconds until all its namespaces showed.
vm_kernel_scan_ms() {
	local t0 t1
	if [ -n "$(vm_tcp_controllers "$1")" ]; then vm_tcp_disconnect "$1" || return 1; fi
	t0=${EPOCHREALTIME/./}
	vm_tcp_connect "$1" || return 1
	t1=${EPOCHREALTIME/./}
	echo $(((t1 - t0) / 1000))
}

# vm_kernel_names NQN - "NSID /dev/nvmeSnZ" per namespace of NQN's first controller, by NSID.
vm_kernel_names() {
	local c e name nsid
	c=$(vm_tcp_controllers "$1" | head -1)
	[ -n "$c" ] || vm_fail "$1 is not connected" || return 1
	c=${c#/dev/}
	for e in /sys/class/nvme/"$c"/nvme*; do
		name=${e##*/}
		[[ $name =~ ^nvme([0-9]+)c[0-9]+(n[0-9]+)$ ]] && name=nvme${BASH_REMATCH[1]}${BASH_REMATCH[2]}
		[[ $name =~ ^nvme[0-9]+n[0-9]+$ ]] || continue
		read -r nsid < "$e/nsid"
		echo "$nsid /dev/$name"
	done | sort -n
}

# vm_names_off NQN - how many of NQN's kernel names are off their NSID-list position.
vm_names_off() {
	local names pos=0 off=0 nsid dev
	names=$(vm_kernel_names "$1") || return 1
	while read -r nsid dev; do
		pos=$((pos + 1))
		[ "${dev##*n}" = "$pos" ] || off=$((off + 1))
	done <<< "$names"
	echo "$off"
}

# vm_udevd_start [DIR...] - install each DIR's rules, start sid's systemd-udevd, replay the events.
vm_udevd_start() {
	local d
	mkdir -p /run/udev/rules.d
	for d in "$@"; do
		cp "$d"/*.rules /run/udev/rules.d/ || vm_fail "no rules in $d" || return 1
	done
	SYSTEMD_IGNORE_CHROOT=1 chroot "$NVMESCAN_SID_ROOT" /usr/lib/systemd/systemd-udevd --daemon || vm_fail "systemd-udevd did not start" || return 1
	vm_udevd_trigger
}

# vm_udevd_trigger - reload the rules, replay add events of block and nvme devices, settle (120 s).
vm_udevd_trigger() {
	"$UDEVADM" control --reload &&
		"$UDEVADM" trigger --action=add --subsystem-match=block --subsystem-match=nvme &&
		"$UDEVADM" settle --timeout=120 || vm_fail "udevadm trigger or settle failed"
}

# vm_udevd_stop - stop systemd-udevd.
vm_udevd_stop() {
	"$UDEVADM" control --exit || vm_fail "udevadm control --exit failed"
}
