# shellcheck shell=bash
# Shared by scripts/vm/* and scripts/container/*: host packages, Debian's guest kernels, the sid
# root with the oracle nvme-cli and udev, and the initramfs cache.

VM_CACHE="${NVMESCAN_VM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nvmescan-vm}"
# Modules the guest needs; their dependencies are added by modinfo.
VM_MODULES="virtio_pci 9pnet_virtio 9p configfs nvme nvme-tcp nvme-fabrics nvmet nvmet-tcp null_blk sch_netem"
# The guest kernels by --kernel name, oldest first; the last one is the default.
VM_KERNELS="6.1 6.12 7"

vm_die() { echo "vm: $*" >&2; exit 1; }

# vm_ensure_packages - install the host tools the harness uses when any is missing.
vm_ensure_packages() {
	local need=() cmd pkg
	for pair in qemu-system-x86_64:qemu-system-x86 busybox:busybox-static nvme:nvme-cli \
		cpio:cpio modinfo:kmod tc:iproute2 xz:xz-utils; do
		cmd=${pair%%:*} pkg=${pair#*:}
		command -v "$cmd" >/dev/null 2>&1 || need+=("$pkg")
	done
	# busybox must be the static build: it runs alone in the initramfs.
	[ -x /bin/busybox ] && file -L /bin/busybox 2>/dev/null | grep -q 'statically linked' ||
		{ [ -x /bin/busybox ] && ! command -v file >/dev/null; } || need+=(busybox-static)
	[ ${#need[@]} -eq 0 ] && return 0
	echo "vm: installing ${need[*]}" >&2
	apt-get update -qq >/dev/null || vm_die "apt-get update failed"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null ||
		vm_die "could not install ${need[*]}"
}

# vm_debian_mirror - the first Debian archive URI of this host's apt sources (not -security), or
# $NVMESCAN_DEBIAN_MIRROR; nothing when there is none.
vm_debian_mirror() {
	[ -n "${NVMESCAN_DEBIAN_MIRROR:-}" ] && { echo "$NVMESCAN_DEBIAN_MIRROR"; return; }
	{
		sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null || true
		sed -n 's/^deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]*\).*/\2/p' \
			/etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null
	} | grep -E '/debian/?$' | head -1 || true
}

# vm_kernel_suite NAME - the Debian suite whose linux-image-amd64 is kernel NAME (6.1, 6.12, 7).
vm_kernel_suite() {
	case $1 in
	6.1) echo bookworm ;;
	6.12) echo trixie ;;
	7) echo sid ;;
	*) vm_die "--kernel must be one of ${VM_KERNELS// /, }, not $1" ;;
	esac
}

# vm_apt SUITE COMMAND ARG... - apt-get or apt-cache (COMMAND) with a private state for SUITE under
# $VM_CACHE/apt/SUITE: its own sources, lists and archives; the host's apt state is never touched.
# A mirror may serve a frozen snapshot, whose sid Release is past its Valid-Until: accepted.
vm_apt() {
	local suite=$1 cmd=$2 dir=$VM_CACHE/apt/$1 mirror
	shift 2
	if [ ! -s "$dir/sources.list" ]; then
		mirror=$(vm_debian_mirror)
		[ -n "$mirror" ] || vm_die "no Debian mirror in /etc/apt/sources.list*: set NVMESCAN_DEBIAN_MIRROR to one"
		mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
		{
			echo "deb $mirror $suite main"
			[ "$suite" = sid ] || echo "deb $mirror $suite-updates main"
		} > "$dir/sources.list"
	fi
	"$cmd" -q -o Dir::Etc::sourcelist="$dir/sources.list" -o Dir::Etc::sourceparts=- \
		-o Dir::State::Lists="$dir/lists" -o Dir::Cache="$dir/cache" -o Dir::State::status=/dev/null \
		-o APT::Sandbox::User=root -o Acquire::Check-Valid-Until=false "$@"
}

# vm_kernel_pin NAME - which kernel NAME is: "RELEASE VERSION PACKAGE..." (e.g. 6.1.0-50-amd64
# 6.1.176-1 linux-image-6.1.0-50-amd64), resolved from the suite's linux-image-amd64 once and kept
# in $VM_CACHE/kernel-NAME.pin; NVMESCAN_VM_REFRESH=1 resolves it again.
vm_kernel_pin() {
	local name=$1 suite pin=$VM_CACHE/kernel-$1.pin rel ver pkgs
	suite=$(vm_kernel_suite "$name") || exit 1
	if [ ! -s "$pin" ] || [ "${NVMESCAN_VM_REFRESH:-0}" = 1 ]; then
		mkdir -p "$VM_CACHE"
		vm_apt "$suite" apt-get update >/dev/null || vm_die "apt-get update of $suite failed"
		rel=$(vm_apt "$suite" apt-cache depends linux-image-amd64 | sed -n 's/.*Depends: linux-image-\(.*\)$/\1/p' | head -1)
		[ -n "$rel" ] || vm_die "$suite has no linux-image-amd64 pointing at a linux-image-*"
		case $rel in "$name".*) ;; *) vm_die "$suite's kernel is $rel, not $name.x: update VM_KERNELS in scripts/vm/lib.sh" ;; esac
		ver=$(vm_apt "$suite" apt-cache show "linux-image-$rel" | sed -n 's/^Version: //p' | head -1)
		# sid splits the kernel into linux-binary (vmlinuz), linux-modules and linux-base (modules.*).
		pkgs="linux-image-$rel $(vm_apt "$suite" apt-cache depends "linux-image-$rel" |
			sed -n "s/.*Depends: \(linux-\(binary\|modules\|base\)-$rel\)$/\1/p" | tr '\n' ' ')"
		echo "$rel $ver $pkgs" > "$pin.tmp" && mv "$pin.tmp" "$pin"
	fi
	cat "$pin"
}

# vm_kernel_debs NAME - download kernel NAME's packages once into $VM_CACHE/debs; print their paths.
vm_kernel_debs() {
	local name=$1 suite pin rel ver pkgs p f
	suite=$(vm_kernel_suite "$name") && pin=$(vm_kernel_pin "$name") || exit 1
	read -r rel ver pkgs <<< "$pin"
	mkdir -p "$VM_CACHE/debs"
	for p in $pkgs; do
		f=$VM_CACHE/debs/${p}_${ver}_amd64.deb
		if [ ! -s "$f" ]; then
			echo "vm: downloading $p $ver ($suite)" >&2
			# Lists that are gone or stale are fetched again once.
			(cd "$VM_CACHE/debs" && { vm_apt "$suite" apt-get download "$p=$ver" >/dev/null 2>&1 ||
				{ vm_apt "$suite" apt-get update >/dev/null && vm_apt "$suite" apt-get download "$p=$ver" >/dev/null; }; }) ||
				vm_die "apt-get download $p=$ver ($suite) failed; NVMESCAN_VM_REFRESH=1 picks $suite's current kernel"
		fi
		echo "$f"
	done
}

# vm_module_closure MODDIR NAME... - print module files, dependencies first.
vm_module_closure() {
	local moddir=$1; shift
	local -A seen=()
	local out=()
	visit() {
		local name=${1//-/_} f dep
		[ -n "${seen[$name]:-}" ] && return
		seen[$name]=1
		f=$(find "$moddir/kernel" -name "$name.ko*" -o -name "${1}.ko*" | head -1)
		if [ -z "$f" ]; then
			# Built into the kernel: nothing to load.
			grep -qE "/(${name}|${1})\.ko" "$moddir/modules.builtin" && return
			vm_die "module $1 not found in $moddir"
		fi
		for dep in $(modinfo -F depends "$f" | tr ',' ' '); do visit "$dep"; done
		out+=("$f")
	}
	for m in "$@"; do visit "$m"; done
	printf '%s\n' "${out[@]}"
}

# vm_ensure_boot NAME - kernel NAME's vmlinuz and busybox initramfs, built once per inputs; print
# their directory, which also holds `release` (uname -r) and `version` (the Debian package's).
vm_ensure_boot() {
	local name=$1 here pin rel ver pkgs key out work moddir debs mods f
	here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
	pin=$(vm_kernel_pin "$name") || exit 1
	read -r rel ver pkgs <<< "$pin"
	key=$( (echo "$rel $ver $VM_MODULES"; cat "$here/guest-init"; sha256sum /bin/busybox) | sha256sum | cut -c1-16)
	out=$VM_CACHE/boot-$rel-$key
	[ -s "$out/initramfs.cpio.gz" ] && { echo "$out"; return; }
	debs=$(vm_kernel_debs "$name") || exit 1
	work=$(mktemp -d "$VM_CACHE/boot.XXXXXX")
	for f in $debs; do
		dpkg-deb -x "$f" "$work/kernel" || vm_die "cannot unpack $f"
	done
	mkdir -p "$work/out" "$work/root"/{bin,dev,proc,sys,host,modules}
	# Under /lib or /usr/lib (merged /usr); sid keeps vmlinuz beside the modules.
	moddir=$work/kernel/lib/modules/$rel
	[ -d "$moddir/kernel" ] || moddir=$work/kernel/usr/lib/modules/$rel
	f=$work/kernel/boot/vmlinuz-$rel
	[ -f "$f" ] || f=$moddir/vmlinuz
	cp "$f" "$work/out/vmlinuz" || vm_die "no vmlinuz in $pkgs"
	cp /bin/busybox "$work/root/bin/busybox"
	cp "$here/guest-init" "$work/root/init" && chmod +x "$work/root/init"
	mods=$(vm_module_closure "$moddir" $VM_MODULES) || exit 1
	: > "$work/root/modules/order"
	for f in $mods; do
		# busybox's insmod cannot load compressed modules.
		case "$f" in
		*.ko.xz) xz -dc "$f" > "$work/root/modules/$(basename "${f%.xz}")" ;;
		*) cp "$f" "$work/root/modules/" ;;
		esac
		f=$(basename "$f"); echo "${f%%.ko*}.ko" >> "$work/root/modules/order"
	done
	(cd "$work/root" && find . | cpio -o -H newc --quiet | gzip -1) > "$work/out/initramfs.cpio.gz"
	echo "$rel" > "$work/out/release"
	echo "$ver" > "$work/out/version"
	rm -rf "$out" && mv "$work/out" "$out"
	rm -rf "$work"
	echo "$out"
}

# vm_ensure_sid_root - a Debian sid root with nvme-cli (the oracle) and udev, made once with
# debootstrap into $VM_CACHE/sid-root; the guest runs its binaries chrooted. Print its path.
vm_ensure_sid_root() {
	local root=$VM_CACHE/sid-root mirror work
	[ -x "$root/usr/sbin/nvme" ] && [ -x "$root/usr/bin/udevadm" ] && { echo "$root"; return; }
	[ "$(id -u)" = 0 ] || vm_die "making the sid root ($root) needs root (debootstrap)"
	if ! command -v debootstrap >/dev/null; then
		echo "vm: installing debootstrap" >&2
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap; } >/dev/null ||
			vm_die "apt-get install debootstrap failed"
	fi
	mirror=$(vm_debian_mirror)
	[ -n "$mirror" ] || vm_die "no Debian mirror in /etc/apt/sources.list*: set NVMESCAN_DEBIAN_MIRROR to one"
	mkdir -p "$VM_CACHE"
	work=$(mktemp -d "$VM_CACHE/sid-root.XXXXXX")
	echo "vm: debootstrap sid with nvme-cli and udev into $root (a minute or more, once)" >&2
	debootstrap --variant=minbase --include=nvme-cli,udev sid "$work/root" "$mirror" > "$work/debootstrap.log" 2>&1 ||
		vm_die "debootstrap sid failed: $(tail -n 3 "$work/debootstrap.log" | tr '\n' ' ')"
	rm -rf "$work"/root/var/cache/apt/archives/*.deb "$work"/root/var/lib/apt/lists/*
	rm -rf "$root" && mv "$work/root" "$root"
	rm -rf "$work"
	echo "$root"
}
