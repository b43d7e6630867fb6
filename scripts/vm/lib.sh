# shellcheck shell=bash
# Shared by scripts/vm/*: host packages, the Debian guest kernel, and the initramfs cache.

VM_CACHE="${NVMESCAN_VM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nvmescan-vm}"
# Modules the guest needs; their dependencies are added by modinfo.
VM_MODULES="virtio_pci 9pnet_virtio 9p configfs nvme nvme-tcp nvme-fabrics nvmet nvmet-tcp null_blk sch_netem"

vm_die() { echo "vm: $*" >&2; exit 1; }

# vm_ensure_packages - install the host tools the harness uses when any is missing.
vm_ensure_packages() {
	local need=() cmd pkg
	for pair in qemu-system-x86_64:qemu-system-x86 busybox:busybox-static nvme:nvme-cli \
		cpio:cpio modinfo:kmod tc:iproute2; do
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

# vm_kernel_version - the Debian 6.1 kernel package linux-image-amd64 points at (e.g. 6.1.0-56-amd64).
vm_kernel_version() {
	local v
	v=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/.*Depends: linux-image-\(.*\)$/\1/p' | head -1)
	if [ -z "$v" ]; then
		apt-get update -qq >/dev/null || true
		v=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/.*Depends: linux-image-\(.*\)$/\1/p' | head -1)
	fi
	[ -n "$v" ] || v=$(ls "$VM_CACHE" 2>/dev/null | sed -n 's/^kernel-//p' | sort -V | tail -1)
	[ -n "$v" ] || vm_die "cannot tell which linux-image-*-amd64 to use (apt-cache depends linux-image-amd64)"
	echo "$v"
}

# vm_ensure_kernel VERSION - download and unpack linux-image-VERSION once; print its directory.
vm_ensure_kernel() {
	local v=$1 dir="$VM_CACHE/kernel-$1"
	if [ ! -f "$dir/boot/vmlinuz-$v" ]; then
		mkdir -p "$VM_CACHE/dl" && rm -rf "$dir.tmp"
		(cd "$VM_CACHE/dl" && rm -f linux-image-"$v"_*.deb && apt-get download "linux-image-$v" >/dev/null 2>&1) ||
			vm_die "apt-get download linux-image-$v failed"
		dpkg-deb -x "$VM_CACHE"/dl/linux-image-"$v"_*.deb "$dir.tmp" || vm_die "cannot unpack linux-image-$v"
		rm -f "$VM_CACHE"/dl/linux-image-"$v"_*.deb
		mv "$dir.tmp" "$dir"
	fi
	echo "$dir"
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

# vm_ensure_initramfs KERNELDIR VERSION - build (once per inputs) the busybox initramfs; print its path.
vm_ensure_initramfs() {
	local kdir=$1 v=$2 here key out work f
	here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
	key=$( (echo "$v $VM_MODULES"; cat "$here/guest-init"; sha256sum /bin/busybox) | sha256sum | cut -c1-16)
	out="$VM_CACHE/initramfs-$v-$key.cpio.gz"
	[ -f "$out" ] && { echo "$out"; return; }
	work=$(mktemp -d)
	mkdir -p "$work"/{bin,dev,proc,sys,host,modules}
	cp /bin/busybox "$work/bin/busybox"
	cp "$here/guest-init" "$work/init" && chmod +x "$work/init"
	: > "$work/modules/order"
	while read -r f; do
		case "$f" in
		*.ko.xz) xz -dc "$f" > "$work/modules/$(basename "${f%.xz}")" ;;
		*.ko.zst) zstd -qdc "$f" > "$work/modules/$(basename "${f%.zst}")" ;;
		*) cp "$f" "$work/modules/" ;;
		esac
		f=$(basename "$f"); echo "${f%%.ko*}.ko" >> "$work/modules/order"
	done < <(vm_module_closure "$kdir/lib/modules/$v" $VM_MODULES)
	(cd "$work" && find . | cpio -o -H newc --quiet | gzip -1) > "$out.tmp" && mv "$out.tmp" "$out"
	rm -rf "$work"
	echo "$out"
}
