package dev.nvmescan.scanner.cli;

import dev.nvmescan.scanner.output.OutputFormat;

import java.io.PrintWriter;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import picocli.CommandLine.Option;

/**
 * {@code -b, --raw-binary} and {@code -o binary}, as nvme-cli's Identify commands take them: the
 * data structure the controller returned, unaltered, on standard output and nothing else. The
 * commands without this mixin refuse {@code -o binary}.
 */
final class RawBinary {
    @Option(names = {"-b", "--raw-binary"}, description = "write the raw 4096-byte structure the controller"
            + " returned to standard output, nothing else (as -o binary)")
    boolean requested;

    /** Whether the raw structure is written instead of the decoded one. */
    boolean wanted(DeviceOptions device) {
        return requested || device.format == OutputFormat.binary;
    }

    /** Writes {@code data} to {@code out} byte for byte. */
    static void write(PrintWriter out, MemorySegment data) {
        if (!(out instanceof ByteWriter w))
            throw new IllegalArgumentException("-o binary needs an output that takes bytes, such as standard output");
        w.writeBytes(data.toArray(ValueLayout.JAVA_BYTE));
    }
}
