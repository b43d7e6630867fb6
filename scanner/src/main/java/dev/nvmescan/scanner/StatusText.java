package dev.nvmescan.scanner;

import dev.nvmescan.nativebindings.NvmeStatus;

/** NVMe statuses for people and JSON. */
final class StatusText {
    private StatusText() {}

    /** The raw 15-bit status as nvme-cli shows it: {@code 0x4002}. */
    static String hex(NvmeStatus s) {
        return String.format("0x%x", s.raw());
    }

    /** {@code NVMe status 0x4002 (SCT 0h, SC 02h, DNR)}. */
    static String describe(NvmeStatus s) {
        return String.format("NVMe status %s (SCT %Xh, SC %02Xh%s%s)", hex(s), s.sct(), s.sc(),
                s.dnr() ? ", DNR" : "", s.more() ? ", More" : "");
    }
}
