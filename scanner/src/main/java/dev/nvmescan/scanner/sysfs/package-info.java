/**
 * The kernel's view of NVMe devices in sysfs and {@code /dev}: which block and generic devices, and
 * which persistent links, the kernel gave each namespace of a controller.
 */
package dev.nvmescan.scanner.sysfs;
