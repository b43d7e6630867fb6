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
 * @param timeout per-command timeout, at most {@link #MAX_TIMEOUT}; {@link Duration#ZERO} leaves the
 *                kernel's default
 */
public record AdminCommand(int opcode, int nsid, int cdw10, int cdw11, int cdw12, int cdw13,
                           int cdw14, int cdw15, Duration timeout) {

    public static final int IDENTIFY = 0x06;

    /** The longest timeout a command takes: Linux passes it in 32 bits of milliseconds (49.7 days). */
    public static final Duration MAX_TIMEOUT = Duration.ofMillis(0xffff_ffffL);

    /** CNS values of Identify (NVMe base spec, figure "CNS Values"). */
    public static final int CNS_NAMESPACE = 0x00, CNS_CONTROLLER = 0x01, CNS_ACTIVE_NSID_LIST = 0x02,
            CNS_NS_DESCRIPTORS = 0x03, CNS_CSI_NAMESPACE = 0x05, CNS_CSI_CONTROLLER = 0x06;

    /** Command set identifiers. */
    public static final int CSI_NVM = 0x00, CSI_KV = 0x01, CSI_ZNS = 0x02;

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

    /** Identify with the given CNS, NSID and command set (CDW10 CNS, CDW11 CSI in bits 31:24). */
    public static AdminCommand identify(int cns, int nsid, int csi) {
        return new AdminCommand(IDENTIFY, nsid, cns & 0xff, (csi & 0xff) << 24, 0, 0, 0, 0, Duration.ZERO);
    }

    /** Identify Active Namespace ID list: NSIDs greater than {@code after}, 1024 at most. */
    public static AdminCommand activeNamespaceList(int after) {
        return identify(CNS_ACTIVE_NSID_LIST, after, CSI_NVM);
    }

    /** The same command with another timeout. */
    public AdminCommand withTimeout(Duration t) {
        return new AdminCommand(opcode, nsid, cdw10, cdw11, cdw12, cdw13, cdw14, cdw15, t);
    }

    /** Short human form for messages, e.g. {@code Identify (CNS 00h, NSID 5)}. */
    public String describe() {
        if (opcode == IDENTIFY)
            return String.format("Identify (CNS %02Xh, NSID %d)", cdw10 & 0xff, Integer.toUnsignedLong(nsid));
        return String.format("admin opcode %02Xh (NSID %d)", opcode, Integer.toUnsignedLong(nsid));
    }
}
