package dev.nvmescan.nativebindings;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

/**
 * One NVMe admin command, as the host fills a submission queue entry: opcode, namespace ID and
 * command dwords 10 to 15. The data buffer travels beside it (see {@link AdminChannel}).
 *
 * @param opcode  admin opcode (0x06 Identify, 0x02 Get Log Page, ...)
 * @param nsid    namespace identifier, 0 where none
 * @param cdw10   command dword 10 (Identify: CNS in bits 7:0, controller ID in bits 31:16)
 * @param cdw11   command dword 11 (Identify: command set identifier in bits 31:24)
 * @param cdw12   command dword 12
 * @param cdw13   command dword 13
 * @param cdw14   command dword 14 (Identify: UUID index in bits 6:0)
 * @param cdw15   command dword 15
 * @param timeout per-command timeout, at most {@link #MAX_TIMEOUT}; {@link Duration#ZERO} leaves the
 *                kernel's default
 */
public record AdminCommand(int opcode, int nsid, int cdw10, int cdw11, int cdw12, int cdw13,
                           int cdw14, int cdw15, Duration timeout) {

    /** The Identify opcode, {@link AdminOpcode#IDENTIFY}'s code. */
    public static final int IDENTIFY = 0x06;

    /** The longest timeout a command takes: Linux passes it in 32 bits of milliseconds (49.7 days). */
    public static final Duration MAX_TIMEOUT = Duration.ofMillis(0xffff_ffffL);

    /** CNS values of Identify (NVMe base spec, figure "CNS Values"). */
    public static final int CNS_NAMESPACE = 0x00, CNS_CONTROLLER = 0x01, CNS_ACTIVE_NSID_LIST = 0x02,
            CNS_NS_DESCRIPTORS = 0x03, CNS_CSI_NAMESPACE = 0x05, CNS_CSI_CONTROLLER = 0x06;

    /** Command set identifiers. */
    public static final int CSI_NVM = 0x00, CSI_KV = 0x01, CSI_ZNS = 0x02;

    /**
     * Checks the fields.
     *
     * @throws IllegalArgumentException an opcode outside 0 to 255, or a timeout that is negative or
     *                                  above {@link #MAX_TIMEOUT}
     */
    public AdminCommand {
        if (opcode < 0 || opcode > 0xff)
            throw new IllegalArgumentException("opcode out of range: " + opcode);
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative())
            throw new IllegalArgumentException("negative timeout: " + timeout);
        if (timeout.compareTo(MAX_TIMEOUT) > 0)
            throw new IllegalArgumentException("timeout longer than 4294967295 ms (49.7 days): "
                    + BigDecimal.valueOf(timeout.getSeconds()).add(BigDecimal.valueOf(timeout.getNano(), 9))
                            .stripTrailingZeros().toPlainString() + " s");
    }

    /**
     * An Identify command (CDW10 CNS, CDW11 CSI in bits 31:24), with the kernel's timeout.
     *
     * @param cns  Controller or Namespace Structure: which data structure to return ({@code CNS_*})
     * @param nsid the namespace the structure describes, or the NSID a list starts after
     * @param csi  Command Set Identifier ({@code CSI_*}), for the CNS values specific to one
     * @return the command
     */
    public static AdminCommand identify(int cns, int nsid, int csi) {
        return new AdminCommand(IDENTIFY, nsid, cns & 0xff, (csi & 0xff) << 24, 0, 0, 0, 0, Duration.ZERO);
    }

    /**
     * Identify Active Namespace ID list: NSIDs greater than {@code after}, 1024 at most.
     *
     * @param after the NSID the list starts after; 0 for the first page
     * @return the command
     */
    public static AdminCommand activeNamespaceList(int after) {
        return identify(CNS_ACTIVE_NSID_LIST, after, CSI_NVM);
    }

    /**
     * The same command with another timeout.
     *
     * @param t the new timeout; {@link Duration#ZERO} for the kernel's default
     * @return the command with timeout {@code t}
     */
    public AdminCommand withTimeout(Duration t) {
        return new AdminCommand(opcode, nsid, cdw10, cdw11, cdw12, cdw13, cdw14, cdw15, t);
    }

    /** {@return a short human form for messages, e.g. {@code Identify (CNS 00h, NSID 5)}} */
    public String describe() {
        if (opcode == IDENTIFY)
            return String.format("Identify (CNS %02Xh, NSID %d)", cdw10 & 0xff, Integer.toUnsignedLong(nsid));
        return String.format("admin opcode %02Xh (NSID %d)", opcode, Integer.toUnsignedLong(nsid));
    }
}
