/**
 * The Identify data structures of the NVMe specifications (controller, namespace, ZNS namespace,
 * active namespace ID list, namespace identification descriptors): decoders from the 4096 bytes a
 * controller returns, and encoders back to them.
 */
package dev.nvmescan.nativebindings.identify;
