package dev.nvmescan.nativebindings.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.nvmescan.nativebindings.NativeCallException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * open(2), close(2) and ioctl(2) through the C library, errno captured by the linker. {@code open}
 * and {@code ioctl} are variadic in C ({@code int open(const char *, int, ...)},
 * {@code int ioctl(int, unsigned long, ...)}) and are declared so, the third argument variadic: on
 * x86-64 a variadic call also passes the number of vector registers used, which a prototype without
 * the ellipsis would leave undefined.
 */
public final class Syscalls {
    /** Flags of open(2) (generic Linux values; a test checks them against {@code <fcntl.h>}). */
    public static final int O_RDONLY = 0, O_RDWR = 2, O_CLOEXEC = 0x80000;

    /*
     * Each downcall handle sits in a holder class of its own, made on the first call: the linker
     * generates code for every handle, which a run that never opens a device should not pay for.
     */
    private static final class Open {
        static final MethodHandle HANDLE = Libc.downcall("open",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
    }

    private static final class Close {
        static final MethodHandle HANDLE = Libc.downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    private static final class Ioctl {
        static final MethodHandle HANDLE = Libc.downcall("ioctl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.firstVariadicArg(2));
    }

    private Syscalls() {}

    /**
     * open - open {@code path} with {@code flags} (no O_CREAT: the mode argument is 0)
     * @throws NativeCallException open failed; carries errno (ENOENT, EACCES, ...)
     * @throws IllegalArgumentException the path contains a NUL character
     */
    public static OpenFile open(String path, int flags) throws NativeCallException {
        if (path.indexOf('\0') >= 0)
            throw new IllegalArgumentException("path contains a NUL character: " + path.replace('\0', '?'));
        int fd;
        int errno;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.allocateErrno(arena);
            fd = (int) Open.HANDLE.invokeExact(state, arena.allocateFrom(path), flags, 0);
            errno = Libc.errno(state);
        } catch (Throwable t) {
            throw new AssertionError("open downcall", t);
        }
        if (fd < 0)
            throw new NativeCallException("open", path, errno);
        return new OpenFile(fd, path);
    }

    /** ioctl - {@code ioctl(fd, request, arg)}: the result, or minus errno. */
    public static int ioctl(int fd, int request, MemorySegment arg) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.allocateErrno(arena);
            int r = (int) Ioctl.HANDLE.invokeExact(state, fd, Integer.toUnsignedLong(request), arg);
            return r < 0 ? -Libc.errno(state) : r;
        } catch (Throwable t) {
            throw new AssertionError("ioctl downcall", t);
        }
    }

    /**
     * close - release {@code fd}
     * <p>Linux releases the descriptor even when close reports an error; a device file has no
     * flush, so the only failure is EBADF, a descriptor closed twice: a bug, thrown as such.
     */
    public static void close(int fd, String path) {
        int r, errno;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.allocateErrno(arena);
            r = (int) Close.HANDLE.invokeExact(state, fd);
            errno = Libc.errno(state);
        } catch (Throwable t) {
            throw new AssertionError("close downcall", t);
        }
        if (r < 0)
            throw new IllegalStateException(new NativeCallException("close", path, errno).getMessage());
    }

    /** A descriptor from {@link #open}, and the path it names for messages. */
    public record OpenFile(int fd, String path) implements DeviceFile {
        @Override
        public int ioctl(int request, MemorySegment arg) {
            return Syscalls.ioctl(fd, request, arg);
        }

        @Override
        public void close() {
            Syscalls.close(fd, path);
        }
    }
}
