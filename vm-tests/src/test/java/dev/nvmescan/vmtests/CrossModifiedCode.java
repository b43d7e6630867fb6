package dev.nvmescan.vmtests;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Runs inside the guest: does its CPU execute code that another CPU rewrites either as it was or
 * as it became, never a mix? HotSpot relies on that whenever it patches compiled code other
 * threads are running (a method made not entrant gets a 5-byte jmp written over its entry with
 * one aligned 8-byte store). QEMU's multi-threaded TCG fetches instruction bytes one at a time
 * while translating, so a store from another vCPU in between gives a translation of half old,
 * half new bytes: JVMs in such a guest die of SIGSEGV or SIGILL, or silently corrupt memory.
 *
 * <p>A function at {@code OFF} returns 1 ({@code mov eax, 1; ret}); a second thread keeps switching
 * its first 5 bytes to {@code jmp NEW} (a function returning 2) and back, the 3 bytes after them
 * unchanged. The main thread calls it for the given number of seconds and prints
 * {@code calls old new torn}: how many calls ran the old code, the new, or neither. A torn decode
 * returns something else (old {@code mov} opcode, new displacement) or faults, killing the JVM.
 */
public final class CrossModifiedCode {
    private static final long SIZE = 0x20000, OFF = 64, NEW = 0x10200;
    private static final int PROT_RWX = 0x7, MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;
    private static final VarHandle LONG = JAVA_LONG.varHandle();

    private CrossModifiedCode() {}

    public static void main(String[] args) throws Throwable {
        long seconds = Long.parseLong(args[0]);
        Linker linker = Linker.nativeLinker();
        MethodHandle mmap = linker.downcallHandle(linker.defaultLookup().find("mmap").orElseThrow(),
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
        MemorySegment page = ((MemorySegment) mmap.invokeExact(MemorySegment.NULL, SIZE, PROT_RWX,
                MAP_PRIVATE_ANONYMOUS, -1, 0L)).reinterpret(SIZE);
        if (page.address() == -1L)
            throw new IllegalStateException("mmap of an executable page failed");
        page.fill((byte) 0xcc);                                         // int3 wherever a torn jmp lands
        page.asSlice(NEW).copyFrom(MemorySegment.ofArray(new byte[] {(byte) 0xb8, 2, 0, 0, 0, (byte) 0xc3}));
        long old = code((byte) 0xb8, 1), patched = code((byte) 0xe9, (int) (NEW - (OFF + 5)));
        page.set(JAVA_LONG, OFF, old);
        MethodHandle f = linker.downcallHandle(page.asSlice(OFF), FunctionDescriptor.of(JAVA_INT),
                Linker.Option.critical(false));

        Thread.ofPlatform().daemon().start(() -> {
            for (long i = 0; ; i++)
                LONG.setVolatile(page, OFF, (i & 1) == 0 ? patched : old);
        });
        long calls = 0, ones = 0, twos = 0, torn = 0;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 10_000; i++) {
                int r = (int) f.invokeExact();
                if (r == 1)
                    ones++;
                else if (r == 2)
                    twos++;
                else
                    torn++;
            }
            calls += 10_000;
        }
        System.out.println(calls + " " + ones + " " + twos + " " + torn);
    }

    /** Bytes 0-4: {@code opcode imm32}; bytes 5-7: {@code ret; int3; int3}, as a little-endian long. */
    private static long code(byte opcode, int imm32) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        b.put(opcode).putInt(imm32).put((byte) 0xc3).put((byte) 0xcc).put((byte) 0xcc);
        return b.getLong(0);
    }
}
