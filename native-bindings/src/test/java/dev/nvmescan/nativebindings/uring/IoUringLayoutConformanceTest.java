package dev.nvmescan.nativebindings.uring;

import dev.nvmescan.nativebindings.linux.HeaderProbe;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The io_uring layouts and constants, and {@code struct nvme_uring_cmd}, against the system's own
 * headers ({@code <linux/io_uring.h>}, {@code <linux/nvme_ioctl.h>}, Debian's linux-libc-dev), by
 * {@link HeaderProbe}: every named member of every Java layout, by offset and size, plus each
 * layout's size and alignment.
 */
class IoUringLayoutConformanceTest {

    @Test
    void javaLayoutsAndConstantsMatchTheKernelHeaders(@TempDir Path dir) throws Exception {
        new HeaderProbe("<sys/syscall.h>", "<errno.h>", "<linux/io_uring.h>", "<linux/time_types.h>", "<linux/nvme_ioctl.h>")
                .layout("struct io_uring_params", IoUringAbi.PARAMS)
                .layout("struct io_sqring_offsets", IoUringAbi.SQRING_OFFSETS)
                .layout("struct io_cqring_offsets", IoUringAbi.CQRING_OFFSETS)
                .layout("struct io_uring_sqe", IoUringAbi.SQE)
                .layout("struct io_uring_cqe", IoUringAbi.CQE)
                .layout("struct nvme_uring_cmd", NvmeUringCmd.LAYOUT)
                .layout("struct io_uring_getevents_arg", IoUringAbi.GETEVENTS_ARG)
                .layout("struct __kernel_timespec", IoUringAbi.KERNEL_TIMESPEC)
                .value("offsetof(struct io_uring_sqe, cmd)", IoUringAbi.SQE_CMD)
                .value("offsetof(struct io_uring_cqe, big_cqe)", IoUringAbi.CQE_BIG_CQE)
                .value("__NR_io_uring_setup", IoUringAbi.SYS_IO_URING_SETUP)
                .value("__NR_io_uring_enter", IoUringAbi.SYS_IO_URING_ENTER)
                .value("IORING_SETUP_SQE128", IoUringAbi.IORING_SETUP_SQE128)
                .value("IORING_SETUP_CQE32", IoUringAbi.IORING_SETUP_CQE32)
                .value("IORING_ENTER_GETEVENTS", IoUringAbi.IORING_ENTER_GETEVENTS)
                .value("IORING_ENTER_EXT_ARG", IoUringAbi.IORING_ENTER_EXT_ARG)
                .value("IORING_FEAT_EXT_ARG", IoUringAbi.IORING_FEAT_EXT_ARG)
                .value("ETIME", dev.nvmescan.nativebindings.Errno.ETIME)
                .value("IORING_FEAT_SINGLE_MMAP", IoUringAbi.IORING_FEAT_SINGLE_MMAP)
                .value("IORING_OP_NOP", IoUringAbi.IORING_OP_NOP)
                .value("IORING_OP_URING_CMD", IoUringAbi.IORING_OP_URING_CMD)
                .value("IORING_OP_READ", UringDispatcherTest.IORING_OP_READ)
                .value("IORING_OFF_SQ_RING", IoUringAbi.IORING_OFF_SQ_RING)
                .value("IORING_OFF_CQ_RING", IoUringAbi.IORING_OFF_CQ_RING)
                .value("IORING_OFF_SQES", IoUringAbi.IORING_OFF_SQES)
                .value("NVME_URING_CMD_ADMIN", Integer.toUnsignedLong(NvmeUringCmd.NVME_URING_CMD_ADMIN))
                .check(dir);
    }
}
