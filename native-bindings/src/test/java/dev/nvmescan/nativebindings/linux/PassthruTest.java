package dev.nvmescan.nativebindings.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nvmescan.nativebindings.AdminCommand;
import dev.nvmescan.nativebindings.CommandTimeoutException;
import dev.nvmescan.nativebindings.Errno;
import dev.nvmescan.nativebindings.NativeCallException;
import dev.nvmescan.nativebindings.NvmeStatus;
import dev.nvmescan.nativebindings.NvmeStatusException;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class PassthruTest {

    @Test
    void timeoutsBecomeMilliseconds() {
        assertEquals(0, Passthru.timeoutMillis(Duration.ZERO));
        assertEquals(1, Passthru.timeoutMillis(Duration.ofNanos(1)));
        assertEquals(250, Passthru.timeoutMillis(Duration.ofMillis(250)));
        assertEquals(0xffff_ffff, Passthru.timeoutMillis(AdminCommand.MAX_TIMEOUT));
    }

    @Test
    void failuresAreDecoded() {
        AdminCommand id = AdminCommand.identify(0, 7, 0);
        AdminCommand timed = id.withTimeout(Duration.ofMillis(100));
        NvmeStatusException s = assertInstanceOf(NvmeStatusException.class,
                Passthru.failure("ioctl", "/dev/nvme0", id, 0x400b));
        assertEquals(new NvmeStatus(0x400b), s.status());
        assertEquals("/dev/nvme0: Identify (CNS 00h, NSID 7) failed: Invalid Namespace or Format (SCT 0h SC 0Bh, DNR)",
                s.getMessage());
        NativeCallException n = assertInstanceOf(NativeCallException.class,
                Passthru.failure("ioctl", "/dev/nvme0", id, -Errno.EACCES));
        assertEquals("ioctl(/dev/nvme0): Permission denied (EACCES)", n.getMessage());
        CommandTimeoutException t = assertInstanceOf(CommandTimeoutException.class,
                Passthru.failure("ioctl", "/dev/nvme0", timed, -Errno.EINTR));
        assertEquals(Duration.ofMillis(100), t.timeout());
        assertInstanceOf(CommandTimeoutException.class, Passthru.failure("ioctl", "/dev/nvme0", timed, 0x4007));
        assertInstanceOf(CommandTimeoutException.class, Passthru.failure("ioctl", "/dev/nvme0", timed, 0x0371));
        assertInstanceOf(IllegalStateException.class, Passthru.failure("ioctl", "/dev/nvme0", id, 0x10000));
    }
}
