/**
 * The shared vocabulary of the bridge: {@link dev.nvmescan.nativebindings.AdminChannel} and the
 * factory that opens one ({@link dev.nvmescan.nativebindings.AdminChannels}), admin commands and
 * opcodes with the read-only guard, NVMe status decoding, page-aligned data buffers, errno names and
 * the exceptions every backend throws.
 */
package dev.nvmescan.nativebindings;
