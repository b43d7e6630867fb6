package dev.nvmescan.scanner.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;

/**
 * The process's standard output, keeping its first write error: {@code EPIPE} after {@code | head},
 * {@code ENOSPC} on a full disk. {@link System#out} and {@link PrintWriter} swallow these; here every
 * write after the first failure fails at once, {@link PrintWriter#checkError()} turns true, and
 * {@link #failure()} says why, so a scan stops and the exit code tells.
 */
final class StandardOutput extends OutputStream {
    private final OutputStream fd = new FileOutputStream(FileDescriptor.out);
    private volatile IOException failure;

    /** A writer over file descriptor 1, and the stream that keeps its failure. */
    static ByteWriter writer(StandardOutput stdout) {
        return new ByteWriter(stdout);
    }

    /** The first write error, or null. */
    IOException failure() {
        return failure;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        check();
        try {
            fd.write(b, off, len);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public void flush() throws IOException {
        check();
        try {
            fd.flush();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    private void check() throws IOException {
        IOException f = failure;
        if (f != null)
            throw f;
    }

    private IOException failed(IOException e) {
        if (failure == null)
            failure = e;
        return e;
    }
}
