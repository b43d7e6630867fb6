package dev.nvmescan.nativebindings.uring;

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
 * {@code struct nvme_uring_cmd} of {@code <linux/nvme_ioctl.h>}: an NVMe passthrough command as it
 * travels in the command area of a 128-byte io_uring SQE, and the request number that marks it an
 * admin command.
 */
final class NvmeUringCmd {
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_BYTE.withName("opcode"), JAVA_BYTE.withName("flags"), JAVA_SHORT.withName("rsvd1"),
            JAVA_INT.withName("nsid"), JAVA_INT.withName("cdw2"), JAVA_INT.withName("cdw3"),
            JAVA_LONG.withName("metadata"), JAVA_LONG.withName("addr"),
            JAVA_INT.withName("metadata_len"), JAVA_INT.withName("data_len"),
            JAVA_INT.withName("cdw10"), JAVA_INT.withName("cdw11"), JAVA_INT.withName("cdw12"),
            JAVA_INT.withName("cdw13"), JAVA_INT.withName("cdw14"), JAVA_INT.withName("cdw15"),
            JAVA_INT.withName("timeout_ms"), JAVA_INT.withName("rsvd2"));

    /** {@code _IOWR('N', 0x82, struct nvme_uring_cmd)}: the SQE's {@code cmd_op} for admin commands. */
    static final int NVME_URING_CMD_ADMIN = (3 << 30) | ((int) LAYOUT.byteSize() << 16) | ('N' << 8) | 0x82;

    private static final long OPCODE = IoUringAbi.offset(LAYOUT, "opcode"),
            NSID = IoUringAbi.offset(LAYOUT, "nsid"), ADDR = IoUringAbi.offset(LAYOUT, "addr"),
            DATA_LEN = IoUringAbi.offset(LAYOUT, "data_len"), CDW10 = IoUringAbi.offset(LAYOUT, "cdw10"),
            CDW11 = IoUringAbi.offset(LAYOUT, "cdw11"), CDW12 = IoUringAbi.offset(LAYOUT, "cdw12"),
            CDW13 = IoUringAbi.offset(LAYOUT, "cdw13"), CDW14 = IoUringAbi.offset(LAYOUT, "cdw14"),
            CDW15 = IoUringAbi.offset(LAYOUT, "cdw15"), TIMEOUT_MS = IoUringAbi.offset(LAYOUT, "timeout_ms");

    private NvmeUringCmd() {}

    /**
     * write - fill a zeroed {@code nvme_uring_cmd} at {@code cmd} from {@code command}
     * @param data the buffer the kernel transfers to or from; {@link MemorySegment#NULL} for none.
     *             Its address and size become {@code addr} and {@code data_len}.
     */
    static void write(MemorySegment cmd, AdminCommand command, MemorySegment data) {
        cmd.set(JAVA_BYTE, OPCODE, (byte) command.opcode());
        cmd.set(JAVA_INT, NSID, command.nsid());
        cmd.set(JAVA_LONG, ADDR, data.address());
        cmd.set(JAVA_INT, DATA_LEN, (int) data.byteSize());
        cmd.set(JAVA_INT, CDW10, command.cdw10());
        cmd.set(JAVA_INT, CDW11, command.cdw11());
        cmd.set(JAVA_INT, CDW12, command.cdw12());
        cmd.set(JAVA_INT, CDW13, command.cdw13());
        cmd.set(JAVA_INT, CDW14, command.cdw14());
        cmd.set(JAVA_INT, CDW15, command.cdw15());
        cmd.set(JAVA_INT, TIMEOUT_MS, Passthru.timeoutMillis(command.timeout()));
    }
}
