/**
 * The kernel's view of NVMe devices in sysfs and {@code /dev}: the host's tree of subsystems,
 * controllers and namespace devices ({@link dev.nvmescan.scanner.sysfs.NvmeTree}, libnvme's "tree"),
 * with multipath heads and their path devices, and per controller the block and generic devices and
 * persistent links the kernel gave each namespace ({@link dev.nvmescan.scanner.sysfs.KernelNames}).
 */
package dev.nvmescan.scanner.sysfs;
