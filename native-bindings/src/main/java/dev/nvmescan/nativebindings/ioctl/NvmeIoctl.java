package dev.nvmescan.nativebindings.ioctl;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.nvmescan.nativebindings.AdminCommand;
import dev.nvmescan.nativebindings.linux.Passthru;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * The NVMe passthrough ioctl ABI of {@code <linux/nvme_ioctl.h>}: {@code struct nvme_passthru_cmd}
 * (72 bytes, 32-bit result), {@code struct nvme_passthru_cmd64} (80 bytes, 64-bit result) and the
 * request numbers. Field names are the kernel's; a test compiles the header with gcc and checks
 * every offset, size and number here against it.
 *
 * <p>Both structures share their first 68 bytes (opcode to timeout_ms) with identical offsets, so
 * one writer fills either. The request numbers use the generic {@code _IOC} encoding of
 * {@code <asm-generic/ioctl.h>} (x86-64, arm64, riscv64, s390x); powerpc, mips, sparc and alpha
 * encode differently, and there a wrong number fails harmlessly with {@code ENOTTY}.
 */
public final class NvmeIoctl {
    /** {@code struct nvme_passthru_cmd} (alias {@code nvme_admin_cmd}). */
    public static final StructLayout PASSTHRU_CMD = MemoryLayout.structLayout(
            header(JAVA_INT.withName("timeout_ms"), JAVA_INT.withName("result"))).withName("nvme_passthru_cmd");

    /**
     * {@code struct nvme_passthru_cmd64}. Its {@code data_len} shares a union with {@code vec_cnt},
     * which only vectored I/O uses.
     */
    public static final StructLayout PASSTHRU_CMD64 = MemoryLayout.structLayout(
            header(JAVA_INT.withName("timeout_ms"), JAVA_INT.withName("rsvd2"), JAVA_LONG.withName("result")))
            .withName("nvme_passthru_cmd64");

    private static final int IOC_NONE = 0, IOC_WRITE = 1, IOC_READ = 2;

    /** {@code _IO('N', 0x40)}: the namespace ID of a namespace device; ENOTTY on a controller. */
    public static final int NVME_IOCTL_ID = ioc(IOC_NONE, 'N', 0x40, 0);
    /** {@code _IOWR('N', 0x41, struct nvme_admin_cmd)}. */
    public static final int NVME_IOCTL_ADMIN_CMD = iowr('N', 0x41, PASSTHRU_CMD);
    /** {@code _IOWR('N', 0x43, struct nvme_passthru_cmd)}. */
    public static final int NVME_IOCTL_IO_CMD = iowr('N', 0x43, PASSTHRU_CMD);
    /** {@code _IOWR('N', 0x47, struct nvme_passthru_cmd64)}, Linux 5.5 and later. */
    public static final int NVME_IOCTL_ADMIN64_CMD = iowr('N', 0x47, PASSTHRU_CMD64);
    /** {@code _IOWR('N', 0x48, struct nvme_passthru_cmd64)}, Linux 5.5 and later. */
    public static final int NVME_IOCTL_IO64_CMD = iowr('N', 0x48, PASSTHRU_CMD64);

    /** Offsets in either structure; cdw11 to cdw15 follow cdw10 at 4-byte steps. */
    private static final long OPCODE = offset("opcode"), NSID = offset("nsid"), ADDR = offset("addr"),
            DATA_LEN = offset("data_len"), CDW10 = offset("cdw10"), TIMEOUT_MS = offset("timeout_ms");
    private static final long RESULT32 = PASSTHRU_CMD.byteOffset(groupElement("result")),
            RESULT64 = PASSTHRU_CMD64.byteOffset(groupElement("result"));

    private NvmeIoctl() {}

    /** The members both structures share, opcode to cdw15, followed by {@code tail}. */
    private static MemoryLayout[] header(MemoryLayout... tail) {
        MemoryLayout[] head = {
            JAVA_BYTE.withName("opcode"), JAVA_BYTE.withName("flags"), JAVA_SHORT.withName("rsvd1"),
            JAVA_INT.withName("nsid"), JAVA_INT.withName("cdw2"), JAVA_INT.withName("cdw3"),
            JAVA_LONG.withName("metadata"), JAVA_LONG.withName("addr"),
            JAVA_INT.withName("metadata_len"), JAVA_INT.withName("data_len"),
            JAVA_INT.withName("cdw10"), JAVA_INT.withName("cdw11"), JAVA_INT.withName("cdw12"),
            JAVA_INT.withName("cdw13"), JAVA_INT.withName("cdw14"), JAVA_INT.withName("cdw15"),
        };
        MemoryLayout[] all = new MemoryLayout[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    /** The offset of a member both structures have, checked to be the same in each. */
    private static long offset(String member) {
        long a = PASSTHRU_CMD.byteOffset(groupElement(member)), b = PASSTHRU_CMD64.byteOffset(groupElement(member));
        if (a != b)
            throw new AssertionError(member + " at " + a + " and " + b);
        return a;
    }

    /** {@code _IOC(dir, type, nr, size)}: nr bits 7:0, type 15:8, size 29:16, direction 31:30. */
    static int ioc(int dir, char type, int nr, long size) {
        if (size >= 1 << 14)
            throw new IllegalArgumentException("ioctl argument size too large: " + size);
        return dir << 30 | (int) size << 16 | type << 8 | nr;
    }

    /** {@code _IOWR(type, nr, struct)}: the argument is read and written by the kernel. */
    static int iowr(char type, int nr, MemoryLayout argument) {
        return ioc(IOC_READ | IOC_WRITE, type, nr, argument.byteSize());
    }

    /**
     * write - fill a zeroed passthrough structure from a command and its data buffer
     * @param cmd     a zeroed {@link #PASSTHRU_CMD} or {@link #PASSTHRU_CMD64}
     * @param data    native buffer whose address and size become {@code addr} and {@code data_len};
     *                {@link MemorySegment#NULL} for none
     */
    static void write(MemorySegment cmd, AdminCommand command, MemorySegment data) {
        cmd.set(JAVA_BYTE, OPCODE, (byte) command.opcode());
        cmd.set(JAVA_INT, NSID, command.nsid());
        cmd.set(JAVA_LONG, ADDR, data.address());
        cmd.set(JAVA_INT, DATA_LEN, dataLength(data));
        cmd.set(JAVA_INT, CDW10, command.cdw10());
        cmd.set(JAVA_INT, CDW10 + 4, command.cdw11());
        cmd.set(JAVA_INT, CDW10 + 8, command.cdw12());
        cmd.set(JAVA_INT, CDW10 + 12, command.cdw13());
        cmd.set(JAVA_INT, CDW10 + 16, command.cdw14());
        cmd.set(JAVA_INT, CDW10 + 20, command.cdw15());
        cmd.set(JAVA_INT, TIMEOUT_MS, Passthru.timeoutMillis(command.timeout()));
    }

    /** The 32-bit {@code result} (CQE dword 0) of a completed {@link #PASSTHRU_CMD}. */
    static int result32(MemorySegment cmd) {
        return cmd.get(JAVA_INT, RESULT32);
    }

    /** The low 32 bits (CQE dword 0) of the {@code result} of a completed {@link #PASSTHRU_CMD64}. */
    static int result64(MemorySegment cmd) {
        return (int) cmd.get(JAVA_LONG, RESULT64);
    }

    /** {@code data_len}: the buffer's size, which must fit in 32 bits. */
    private static int dataLength(MemorySegment data) {
        long n = data.byteSize();
        if (n > 0xffff_ffffL)
            throw new IllegalArgumentException("data buffer larger than 4 GiB: " + n);
        return (int) n;
    }
}
