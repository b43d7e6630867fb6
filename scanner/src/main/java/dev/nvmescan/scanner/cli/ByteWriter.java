package dev.nvmescan.scanner.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * An output that takes bytes as well as text: UTF-8 text, and for {@code -o binary} the raw
 * structure a controller returned, unencoded. A write error of either turns
 * {@link #checkError()} true.
 */
final class ByteWriter extends PrintWriter {
    private final OutputStream bytes;

    ByteWriter(OutputStream bytes) {
        super(new OutputStreamWriter(bytes, StandardCharsets.UTF_8));
        this.bytes = bytes;
    }

    /** Writes {@code b} as it is, after any text written before it. */
    void writeBytes(byte[] b) {
        flush();
        try {
            bytes.write(b);
            bytes.flush();
        } catch (IOException e) {
            setError();
        }
    }
}
