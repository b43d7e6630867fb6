package dev.nvmescan.nativebindings.ioctl;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nvmescan.nativebindings.AdminCommand;
import dev.nvmescan.nativebindings.DataBuffers;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class NvmeIoctlTest {

    @Test
    void structuresHaveTheKernelSizes() {
        assertEquals(72, NvmeIoctl.PASSTHRU_CMD.byteSize());
        assertEquals(80, NvmeIoctl.PASSTHRU_CMD64.byteSize());
        assertEquals(0x4e40, NvmeIoctl.NVME_IOCTL_ID);
        assertEquals(0xc0484e41, NvmeIoctl.NVME_IOCTL_ADMIN_CMD);
        assertEquals(0xc0504e47, NvmeIoctl.NVME_IOCTL_ADMIN64_CMD);
    }

    @Test
    void writeFillsEitherStructure() {
        AdminCommand c = new AdminCommand(0x02, 0xffff_ffff, 0x007f_0002, 2, 3, 4, 5, 6, Duration.ofMillis(1500));
        for (StructLayout layout : new StructLayout[] {NvmeIoctl.PASSTHRU_CMD, NvmeIoctl.PASSTHRU_CMD64}) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment cmd = arena.allocate(layout);
                MemorySegment data = DataBuffers.allocate(arena, 512);
                NvmeIoctl.write(cmd, c, data);
                assertEquals(0x02, cmd.get(JAVA_BYTE, off(layout, "opcode")));
                assertEquals(-1, cmd.get(JAVA_INT, off(layout, "nsid")));
                assertEquals(data.address(), cmd.get(JAVA_LONG, off(layout, "addr")));
                assertEquals(512, cmd.get(JAVA_INT, off(layout, "data_len")));
                assertEquals(0x007f_0002, cmd.get(JAVA_INT, off(layout, "cdw10")));
                assertEquals(2, cmd.get(JAVA_INT, off(layout, "cdw11")));
                assertEquals(3, cmd.get(JAVA_INT, off(layout, "cdw12")));
                assertEquals(4, cmd.get(JAVA_INT, off(layout, "cdw13")));
                assertEquals(5, cmd.get(JAVA_INT, off(layout, "cdw14")));
                assertEquals(6, cmd.get(JAVA_INT, off(layout, "cdw15")));
                assertEquals(1500, cmd.get(JAVA_INT, off(layout, "timeout_ms")));
                assertEquals(0L, cmd.get(JAVA_LONG, off(layout, "metadata")));
            }
        }
    }

    @Test
    void noDataIsAddressAndLengthZero() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cmd = arena.allocate(NvmeIoctl.PASSTHRU_CMD64);
            NvmeIoctl.write(cmd, AdminCommand.identify(1, 0, 0), MemorySegment.NULL);
            assertEquals(0L, cmd.get(JAVA_LONG, off(NvmeIoctl.PASSTHRU_CMD64, "addr")));
            assertEquals(0, cmd.get(JAVA_INT, off(NvmeIoctl.PASSTHRU_CMD64, "data_len")));
        }
    }

    @Test
    void resultsReadTheirOwnField() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cmd = arena.allocate(NvmeIoctl.PASSTHRU_CMD64);
            cmd.set(JAVA_LONG, off(NvmeIoctl.PASSTHRU_CMD64, "result"), 0x1_8000_0001L);
            assertEquals(0x8000_0001, NvmeIoctl.result64(cmd));
            cmd.set(JAVA_INT, off(NvmeIoctl.PASSTHRU_CMD, "result"), 42);
            assertEquals(42, NvmeIoctl.result32(cmd));
        }
    }

    private static long off(StructLayout layout, String member) {
        return layout.byteOffset(groupElement(member));
    }
}
