package dev.nvmescan.nativebindings.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nvmescan.nativebindings.Errno;
import dev.nvmescan.nativebindings.NativeCallException;
import dev.nvmescan.nativebindings.ioctl.NvmeIoctl;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real downcalls, on files every Linux host has: errno comes back through the linker. */
class SyscallsTest {

    @Test
    void openOfAMissingPathCarriesEnoent(@TempDir Path dir) {
        String path = dir.resolve("nvme9").toString();
        NativeCallException e = assertThrows(NativeCallException.class, () -> Syscalls.open(path, Syscalls.O_RDONLY));
        assertEquals("open", e.call());
        assertEquals(path, e.path());
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals("ENOENT", e.errnoName());
        assertEquals("No such file or directory", e.strerror());
        assertEquals("open(" + path + "): No such file or directory (ENOENT)", e.getMessage());
    }

    @Test
    void openOfADirectoryForWritingCarriesEisdir(@TempDir Path dir) {
        NativeCallException e = assertThrows(NativeCallException.class,
                () -> Syscalls.open(dir.toString(), Syscalls.O_RDWR));
        assertEquals("EISDIR", e.errnoName());
    }

    @Test
    void nvmeIoctlsOnDevNullFailWithEnotty() throws Exception {
        Syscalls.OpenFile f = Syscalls.open("/dev/null", Syscalls.O_RDONLY | Syscalls.O_CLOEXEC);
        try (Arena arena = Arena.ofConfined()) {
            assertTrue(f.fd() >= 0);
            assertEquals(-Errno.ENOTTY, f.ioctl(NvmeIoctl.NVME_IOCTL_ID, MemorySegment.NULL));
            MemorySegment cmd = arena.allocate(NvmeIoctl.PASSTHRU_CMD64);
            assertEquals(-Errno.ENOTTY, f.ioctl(NvmeIoctl.NVME_IOCTL_ADMIN64_CMD, cmd));
            assertEquals(-Errno.ENOTTY, f.ioctl(NvmeIoctl.NVME_IOCTL_ADMIN_CMD, cmd));
        } finally {
            f.close();
        }
    }

    @Test
    void ioctlOnAClosedDescriptorIsEbadfAndClosingTwiceIsABug(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("plain"), "x");
        Syscalls.OpenFile f = Syscalls.open(file.toString(), Syscalls.O_RDONLY | Syscalls.O_CLOEXEC);
        assertEquals(-Errno.ENOTTY, f.ioctl(NvmeIoctl.NVME_IOCTL_ID, MemorySegment.NULL));
        f.close();
        assertEquals(-Errno.EBADF, f.ioctl(NvmeIoctl.NVME_IOCTL_ID, MemorySegment.NULL));
        IllegalStateException e = assertThrows(IllegalStateException.class, f::close);
        assertTrue(e.getMessage().contains("(EBADF)"), e.getMessage());
    }

    @Test
    void aPathWithNulIsRefusedBeforeTheCall() {
        assertThrows(IllegalArgumentException.class, () -> Syscalls.open("/dev/null\0x", Syscalls.O_RDONLY));
    }
}
