/**
 * The passthrough ioctl backend: {@code struct nvme_passthru_cmd(64)}, the request numbers of
 * {@code <linux/nvme_ioctl.h>}, and a channel that blocks its thread for each command.
 */
package dev.nvmescan.nativebindings.ioctl;
