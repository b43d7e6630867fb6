package dev.nvmescan.nativebindings.uring;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * The parts of {@code <linux/io_uring.h>} this project uses: system call numbers, setup and enter
 * flags, opcodes, mmap offsets and the layouts of {@code struct io_uring_params}, its ring offset
 * structures, {@code struct io_uring_sqe} and {@code struct io_uring_cqe}. Member names are the
 * kernel's, so a conformance test can compare every offset with the system header.
 *
 * <p>Only features present since Linux 5.19 are used (SQE128 and CQE32 rings, {@code URING_CMD},
 * waits with a timeout).
 */
final class IoUringAbi {
    /** x86-64 system call numbers; glibc has no wrappers for io_uring. */
    static final long SYS_IO_URING_SETUP = 425, SYS_IO_URING_ENTER = 426;

    static final int IORING_SETUP_SQE128 = 1 << 10, IORING_SETUP_CQE32 = 1 << 11;
    static final int IORING_ENTER_GETEVENTS = 1, IORING_ENTER_EXT_ARG = 8;
    static final int IORING_FEAT_SINGLE_MMAP = 1, IORING_FEAT_EXT_ARG = 1 << 8;
    static final byte IORING_OP_NOP = 0, IORING_OP_URING_CMD = 46;

    static final long IORING_OFF_SQ_RING = 0L, IORING_OFF_CQ_RING = 0x8000000L, IORING_OFF_SQES = 0x10000000L;

    /** Offsets into the SQ ring mapping, filled in by io_uring_setup. */
    static final StructLayout SQRING_OFFSETS = MemoryLayout.structLayout(
            JAVA_INT.withName("head"), JAVA_INT.withName("tail"), JAVA_INT.withName("ring_mask"),
            JAVA_INT.withName("ring_entries"), JAVA_INT.withName("flags"), JAVA_INT.withName("dropped"),
            JAVA_INT.withName("array"), JAVA_INT.withName("resv1"), JAVA_LONG.withName("resv2"));

    /** Offsets into the CQ ring mapping, filled in by io_uring_setup. */
    static final StructLayout CQRING_OFFSETS = MemoryLayout.structLayout(
            JAVA_INT.withName("head"), JAVA_INT.withName("tail"), JAVA_INT.withName("ring_mask"),
            JAVA_INT.withName("ring_entries"), JAVA_INT.withName("overflow"), JAVA_INT.withName("cqes"),
            JAVA_INT.withName("flags"), JAVA_INT.withName("resv1"), JAVA_LONG.withName("resv2"));

    /** {@code struct io_uring_params}: in with flags, out with sizes, features and offsets. */
    static final StructLayout PARAMS = MemoryLayout.structLayout(
            JAVA_INT.withName("sq_entries"), JAVA_INT.withName("cq_entries"), JAVA_INT.withName("flags"),
            JAVA_INT.withName("sq_thread_cpu"), JAVA_INT.withName("sq_thread_idle"),
            JAVA_INT.withName("features"), JAVA_INT.withName("wq_fd"),
            MemoryLayout.sequenceLayout(3, JAVA_INT).withName("resv"),
            SQRING_OFFSETS.withName("sq_off"), CQRING_OFFSETS.withName("cq_off"));

    /**
     * {@code struct io_uring_sqe}, 64 bytes, with the union members this project writes. With
     * {@link #IORING_SETUP_SQE128} each entry is twice as long and {@code cmd} (offset 48) holds 80
     * bytes of command data.
     */
    static final StructLayout SQE = MemoryLayout.structLayout(
            JAVA_BYTE.withName("opcode"), JAVA_BYTE.withName("flags"), JAVA_SHORT.withName("ioprio"),
            JAVA_INT.withName("fd"), JAVA_INT.withName("cmd_op"), JAVA_INT.withName("__pad1"),
            JAVA_LONG.withName("addr"), JAVA_INT.withName("len"), JAVA_INT.withName("uring_cmd_flags"),
            JAVA_LONG.withName("user_data"), JAVA_SHORT.withName("buf_index"),
            JAVA_SHORT.withName("personality"), JAVA_INT.withName("file_index"),
            JAVA_LONG.withName("addr3"), MemoryLayout.sequenceLayout(1, JAVA_LONG).withName("__pad2"));

    /** {@code struct io_uring_cqe}, 16 bytes; with {@link #IORING_SETUP_CQE32} {@code big_cqe} follows. */
    static final StructLayout CQE = MemoryLayout.structLayout(
            JAVA_LONG.withName("user_data"), JAVA_INT.withName("res"), JAVA_INT.withName("flags"));

    /** {@code struct __kernel_timespec}. */
    static final StructLayout KERNEL_TIMESPEC = MemoryLayout.structLayout(
            JAVA_LONG.withName("tv_sec"), JAVA_LONG.withName("tv_nsec"));

    /**
     * {@code struct io_uring_getevents_arg}, for a wait with a timeout ({@link #IORING_ENTER_EXT_ARG},
     * Linux 5.11 and later); the member after {@code sigmask_sz} is {@code pad} in Linux 6.1's header.
     */
    static final StructLayout GETEVENTS_ARG = MemoryLayout.structLayout(
            JAVA_LONG.withName("sigmask"), JAVA_INT.withName("sigmask_sz"), JAVA_INT.withName("pad"),
            JAVA_LONG.withName("ts"));

    static final long SQE128_SIZE = 2 * SQE.byteSize(), CQE32_SIZE = 2 * CQE.byteSize();
    /** Offset of the command area ({@code cmd}) in a 128-byte SQE. */
    static final long SQE_CMD = 48;
    /** Offset of {@code big_cqe[0]} in a 32-byte CQE. */
    static final long CQE_BIG_CQE = 16;

    static final long SQE_OPCODE = offset(SQE, "opcode"), SQE_FD = offset(SQE, "fd"),
            SQE_CMD_OP = offset(SQE, "cmd_op"), SQE_ADDR = offset(SQE, "addr"), SQE_LEN = offset(SQE, "len"),
            SQE_USER_DATA = offset(SQE, "user_data");
    static final long CQE_USER_DATA = offset(CQE, "user_data"), CQE_RES = offset(CQE, "res");

    private IoUringAbi() {}

    static long offset(MemoryLayout layout, String... path) {
        MemoryLayout.PathElement[] elements = new MemoryLayout.PathElement[path.length];
        for (int i = 0; i < path.length; i++)
            elements[i] = groupElement(path[i]);
        return layout.byteOffset(elements);
    }
}
