package dev.nvmescan.nativebindings.linux;

import dev.nvmescan.nativebindings.AdminCommand;
import dev.nvmescan.nativebindings.CommandTimeoutException;
import dev.nvmescan.nativebindings.Errno;
import dev.nvmescan.nativebindings.NativeCallException;
import dev.nvmescan.nativebindings.NvmeStatus;
import dev.nvmescan.nativebindings.NvmeStatusException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The Linux NVMe driver's conventions for passthrough commands, the same for the ioctl and for
 * io_uring {@code URING_CMD}: how a command's timeout is given ({@code timeout_ms}) and how its
 * result comes back (0, an NVMe status, or minus errno).
 */
public final class Passthru {
    /** Generic status 07h, and the path related status 71h the host sets when it gives a command up. */
    private static final int ABORT_REQUESTED = NvmeStatus.of(NvmeStatus.SCT_GENERIC, 0x07).raw(),
            HOST_ABORTED = NvmeStatus.of(NvmeStatus.SCT_PATH, 0x71).raw();

    private Passthru() {}

    /**
     * timeoutMillis - the {@code timeout_ms} for a command timeout
     *
     * <p>Zero keeps the kernel's default (the nvme_core admin_timeout or io_timeout parameter).
     * A timeout below one millisecond rounds up to one rather than down to "default"; a command's
     * timeout never exceeds {@link AdminCommand#MAX_TIMEOUT}, which fills the 32 bits.
     */
    public static int timeoutMillis(Duration timeout) {
        if (timeout.isZero())
            return 0;
        return (int) Math.max(1, timeout.toMillis());
    }

    /**
     * failure - the exception for a non-zero passthrough result
     *
     * <p>The NVMe driver answers a passthrough command (ioctl or io_uring) with 0, a positive NVMe
     * status, or minus errno. {@code -EINTR} means the driver cancelled the command, which it does
     * when the command timed out (on PCIe after resetting the controller); so do the statuses
     * Command Abort Requested and Command Aborted By Host. These become
     * {@link CommandTimeoutException}, other statuses {@link NvmeStatusException}, other errnos
     * {@link NativeCallException}.
     *
     * @param call the system call for messages: {@code ioctl}, {@code io_uring_cmd}
     * @param res  the non-zero result
     * @return the exception to throw; an {@link IllegalStateException} for a result that is neither
     *         an errno nor a 15-bit status
     */
    public static Exception failure(String call, String device, AdminCommand command, int res) {
        if (res == -Errno.EINTR)
            return new CommandTimeoutException(device, command, effectiveTimeout(command));
        if (res < 0)
            return new NativeCallException(call, device, -res);
        if (res > 0x7fff)
            return new IllegalStateException(device + ": " + command.describe() + ": result " + res
                    + " is neither an errno nor an NVMe status");
        NvmeStatus status = new NvmeStatus(res);
        int type = res & 0x7ff;
        if (type == ABORT_REQUESTED || type == HOST_ABORTED)
            return new CommandTimeoutException(device, command, effectiveTimeout(command));
        return new NvmeStatusException(device, command, status);
    }

    /** The command's timeout, or the NVMe driver's admin_timeout when it left the default. */
    public static Duration effectiveTimeout(AdminCommand command) {
        return command.timeout().isZero() ? KernelAdminTimeout.VALUE : command.timeout();
    }

    private static final class KernelAdminTimeout {
        static final Duration VALUE = read();

        private static Duration read() {
            try {
                String s = Files.readString(Path.of("/sys/module/nvme_core/parameters/admin_timeout")).strip();
                return Duration.ofSeconds(Long.parseLong(s));
            } catch (IOException | NumberFormatException e) {
                return Duration.ofSeconds(60);  // the driver's built-in default
            }
        }
    }
}
