/**
 * The bridge to Linux NVMe devices: hand-written FFM downcalls (open, ioctl, close, io_uring), the
 * kernel's passthrough layouts and request numbers, NVMe status decoding, decoders for the Identify
 * data structures, and a simulated controller behind the same {@link dev.nvmescan.nativebindings.AdminChannel}.
 */
package dev.nvmescan.nativebindings;
