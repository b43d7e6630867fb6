package dev.nvmescan.nativebindings.linux;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Downcalls into the C library with errno captured. Every handle made here takes a leading
 * {@code MemorySegment} for the captured call state; allocate it with {@link #allocateErrno} and read
 * it with {@link #errno} right after a call that reported failure.
 */
public final class Libc {
    static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP = LINKER.defaultLookup();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    static final MemoryLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(
            MemoryLayout.PathElement.groupElement("errno"));

    private Libc() {}

    /** A downcall to {@code name} that captures errno. */
    public static MethodHandle downcall(String name, FunctionDescriptor fd, Linker.Option... more) {
        Linker.Option[] options = new Linker.Option[more.length + 1];
        options[0] = CAPTURE_ERRNO;
        System.arraycopy(more, 0, options, 1, more.length);
        MemorySegment symbol = LOOKUP.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("C library has no symbol " + name));
        return LINKER.downcallHandle(symbol, fd, options);
    }

    /** A segment to receive the captured call state, in {@code arena}. */
    public static MemorySegment allocateErrno(java.lang.foreign.Arena arena) {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    /** The errno captured in {@code state} by the last call that used it. */
    public static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }
}
