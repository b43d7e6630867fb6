/**
 * Linux below the backends: C library downcalls with errno captured, open/ioctl/close on device
 * files, a native sleep, and the NVMe driver's passthrough conventions (timeouts, results) that the
 * ioctl and io_uring share.
 */
package dev.nvmescan.nativebindings.linux;
