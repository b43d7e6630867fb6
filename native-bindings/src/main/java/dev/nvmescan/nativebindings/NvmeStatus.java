package dev.nvmescan.nativebindings;

/**
 * An NVMe completion status as Linux returns it from a passthrough ioctl (the CQE status field
 * without the phase bit): bits 7:0 status code, 10:8 status code type, 12:11 command retry delay,
 * 13 more, 14 do not retry.
 *
 * @param raw the 15-bit status value
 */
public record NvmeStatus(int raw) {

    public NvmeStatus {
        if ((raw & ~0x7fff) != 0)
            throw new IllegalArgumentException("not a 15-bit NVMe status: 0x" + Integer.toHexString(raw));
    }

    /** Status code type: 0 generic, 1 command specific, 2 media and data integrity, 3 path, 7 vendor. */
    public int sct() { return (raw >>> 8) & 0x7; }

    /** Status code within its type. */
    public int sc() { return raw & 0xff; }

    /** Command retry delay index (0 none, 1 to 3 select CRDT1 to CRDT3). */
    public int crd() { return (raw >>> 11) & 0x3; }

    /** More status information is available in the Error Information log. */
    public boolean more() { return (raw & 0x2000) != 0; }

    /** Do Not Retry: the same command is expected to fail again. */
    public boolean dnr() { return (raw & 0x4000) != 0; }

    /** Builds a status from type and code. */
    public static NvmeStatus of(int sct, int sc) {
        return new NvmeStatus(((sct & 0x7) << 8) | (sc & 0xff));
    }
}
