package dev.nvmescan.nativebindings.linux;

import java.lang.foreign.MemorySegment;

/**
 * An open device file as a controller handle uses it: ioctl and close. {@link Syscalls#open}
 * gives the real one; tests substitute a fake to drive decisions that depend on the kernel's answer.
 */
public interface DeviceFile {

    /**
     * ioctl - issue {@code request} on the file
     * @param arg the argument structure, or {@link MemorySegment#NULL}
     * @return the non-negative result, or minus errno
     */
    int ioctl(int request, MemorySegment arg);

    /** close - release the descriptor; called once, after the last ioctl has returned. */
    void close();
}
