package dev.nvmescan.nativebindings.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.nvmescan.nativebindings.Errno;
import dev.nvmescan.nativebindings.NativeCallException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.time.Duration;

/**
 * The C library's {@code nanosleep}, called through FFM. A thread sleeping here is inside a native
 * frame: a virtual thread keeps its carrier for the whole sleep, exactly as during a passthrough
 * ioctl, which is what the simulated controller's ioctl path needs to be truthful.
 */
public final class NativeSleep {
    /** {@code struct timespec} on LP64 Linux. */
    private static final MemoryLayout TIMESPEC = MemoryLayout.structLayout(
            JAVA_LONG.withName("tv_sec"), JAVA_LONG.withName("tv_nsec"));
    private static final MethodHandle NANOSLEEP = Libc.downcall("nanosleep",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));

    private NativeSleep() {}

    /**
     * sleep - block the calling thread in {@code nanosleep(2)} for {@code duration}
     *
     * <p>Resumes after signal interruptions (EINTR) with the remaining time; a zero duration
     * returns at once without a call.
     *
     * @throws NativeCallException nanosleep failed otherwise ({@code path} names the device)
     */
    public static void sleep(Duration duration, String path) throws NativeCallException {
        if (duration.isZero())
            return;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment req = arena.allocate(TIMESPEC), rem = arena.allocate(TIMESPEC);
            MemorySegment errno = Libc.allocateErrno(arena);
            req.set(JAVA_LONG, 0, duration.getSeconds());
            req.set(JAVA_LONG, 8, duration.getNano());
            while ((int) NANOSLEEP.invokeExact(errno, req, rem) != 0) {
                int e = Libc.errno(errno);
                if (e != Errno.EINTR)
                    throw new NativeCallException("nanosleep", path, e);
                MemorySegment.copy(rem, 0, req, 0, TIMESPEC.byteSize());
            }
        } catch (NativeCallException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}
