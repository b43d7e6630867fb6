package dev.nvmescan.nativebindings.ioctl;

import dev.nvmescan.nativebindings.linux.HeaderProbe;
import dev.nvmescan.nativebindings.linux.Syscalls;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The passthrough layouts and request numbers, and the open(2) flags, against
 * {@code <linux/nvme_ioctl.h>} and {@code <fcntl.h>} as gcc sees them on this system.
 */
class PassthruLayoutConformanceTest {

    @Test
    void passthroughLayoutsAndRequestNumbersMatchTheKernelHeader(@TempDir Path dir) throws Exception {
        new HeaderProbe("<fcntl.h>", "<sys/ioctl.h>", "<linux/nvme_ioctl.h>")
                .layout("struct nvme_passthru_cmd", NvmeIoctl.PASSTHRU_CMD)
                .layout("struct nvme_passthru_cmd64", NvmeIoctl.PASSTHRU_CMD64)
                .value("NVME_IOCTL_ID", Integer.toUnsignedLong(NvmeIoctl.NVME_IOCTL_ID))
                .value("NVME_IOCTL_ADMIN_CMD", Integer.toUnsignedLong(NvmeIoctl.NVME_IOCTL_ADMIN_CMD))
                .value("NVME_IOCTL_ADMIN64_CMD", Integer.toUnsignedLong(NvmeIoctl.NVME_IOCTL_ADMIN64_CMD))
                .value("NVME_IOCTL_IO_CMD", Integer.toUnsignedLong(NvmeIoctl.NVME_IOCTL_IO_CMD))
                .value("NVME_IOCTL_IO64_CMD", Integer.toUnsignedLong(NvmeIoctl.NVME_IOCTL_IO64_CMD))
                .value("O_RDONLY", Syscalls.O_RDONLY)
                .value("O_RDWR", Syscalls.O_RDWR)
                .value("O_CLOEXEC", Syscalls.O_CLOEXEC)
                .check(dir);
    }
}
