package dev.nvmescan.nativebindings;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An NVMe completion status as Linux returns it from a passthrough ioctl (the CQE status field
 * without the phase bit): bits 7:0 status code, 10:8 status code type, 12:11 command retry delay,
 * 13 more, 14 do not retry.
 *
 * <p>The common codes have names from the NVMe Base Specification 2.0 ({@link #name()}) and short
 * tokens after Linux's {@code NVME_SC_*} constants ({@code INVALID_NS}, {@code NS_NOT_READY}), which
 * {@link #parse} accepts along with numbers.
 *
 * @param raw the 15-bit status value
 */
public record NvmeStatus(int raw) {
    /** Status code types (bits 10:8). */
    public static final int SCT_GENERIC = 0, SCT_COMMAND_SPECIFIC = 1, SCT_MEDIA = 2, SCT_PATH = 3,
            SCT_VENDOR = 7;

    /** Bits of the status field above the code and type. */
    public static final int MORE = 0x2000, DNR = 0x4000;

    /** Names and tokens by {@code sct << 8 | sc}; null where the specification assigns none we know. */
    private static final String[] NAMES = new String[8 << 8], TOKENS = new String[8 << 8];
    private static final Map<String, Integer> BY_KEY = new HashMap<>();
    private static final Pattern DNR_SUFFIX = Pattern.compile("\\s*\\+\\s*DNR$", Pattern.CASE_INSENSITIVE);

    static {
        // Generic command status (SCT 0h).
        def(0, 0x00, "SUCCESS", "Successful Completion");
        def(0, 0x01, "INVALID_OPCODE", "Invalid Command Opcode");
        def(0, 0x02, "INVALID_FIELD", "Invalid Field in Command");
        def(0, 0x03, "CMDID_CONFLICT", "Command ID Conflict");
        def(0, 0x04, "DATA_XFER_ERROR", "Data Transfer Error");
        def(0, 0x05, "POWER_LOSS", "Commands Aborted due to Power Loss Notification");
        def(0, 0x06, "INTERNAL", "Internal Error");
        def(0, 0x07, "ABORT_REQ", "Command Abort Requested");
        def(0, 0x08, "ABORT_QUEUE", "Command Aborted due to SQ Deletion");
        def(0, 0x09, "FUSED_FAIL", "Command Aborted due to Failed Fused Command");
        def(0, 0x0a, "FUSED_MISSING", "Command Aborted due to Missing Fused Command");
        def(0, 0x0b, "INVALID_NS", "Invalid Namespace or Format");
        def(0, 0x0c, "CMD_SEQ_ERROR", "Command Sequence Error");
        def(0, 0x0d, "SGL_INVALID_LAST", "Invalid SGL Segment Descriptor");
        def(0, 0x0e, "SGL_INVALID_COUNT", "Invalid Number of SGL Descriptors");
        def(0, 0x0f, "SGL_INVALID_DATA", "Data SGL Length Invalid");
        def(0, 0x10, "SGL_INVALID_METADATA", "Metadata SGL Length Invalid");
        def(0, 0x11, "SGL_INVALID_TYPE", "SGL Descriptor Type Invalid");
        def(0, 0x12, "CMB_INVALID_USE", "Invalid Use of Controller Memory Buffer");
        def(0, 0x13, "PRP_INVALID_OFFSET", "PRP Offset Invalid");
        def(0, 0x14, "ATOMIC_WU_EXCEEDED", "Atomic Write Unit Exceeded");
        def(0, 0x15, "OP_DENIED", "Operation Denied");
        def(0, 0x16, "SGL_INVALID_OFFSET", "SGL Offset Invalid");
        def(0, 0x18, "HOST_ID_INCONSIST", "Host Identifier Inconsistent Format");
        def(0, 0x19, "KA_TIMEOUT_EXPIRED", "Keep Alive Timer Expired");
        def(0, 0x1a, "KA_TIMEOUT_INVALID", "Keep Alive Timeout Invalid");
        def(0, 0x1b, "ABORTED_PREEMPT_ABORT", "Command Aborted due to Preempt and Abort");
        def(0, 0x1c, "SANITIZE_FAILED", "Sanitize Failed");
        def(0, 0x1d, "SANITIZE_IN_PROGRESS", "Sanitize In Progress");
        def(0, 0x1e, "SGL_INVALID_GRANULARITY", "SGL Data Block Granularity Invalid");
        def(0, 0x1f, "CMD_NOT_SUP_CMB_QUEUE", "Command Not Supported for Queue in CMB");
        def(0, 0x20, "NS_WRITE_PROTECTED", "Namespace is Write Protected");
        def(0, 0x21, "CMD_INTERRUPTED", "Command Interrupted");
        def(0, 0x22, "TRANSIENT_TR_ERR", "Transient Transport Error");
        def(0, 0x23, "CMD_PROHIBITED_LOCKDOWN", "Command Prohibited by Command and Feature Lockdown");
        def(0, 0x24, "ADMIN_COMMAND_MEDIA_NOT_READY", "Admin Command Media Not Ready");
        def(0, 0x80, "LBA_RANGE", "LBA Out of Range");
        def(0, 0x81, "CAP_EXCEEDED", "Capacity Exceeded");
        def(0, 0x82, "NS_NOT_READY", "Namespace Not Ready");
        def(0, 0x83, "RESERVATION_CONFLICT", "Reservation Conflict");
        def(0, 0x84, "FORMAT_IN_PROGRESS", "Format In Progress");
        // Command specific status (SCT 1h).
        def(1, 0x00, "CQ_INVALID", "Completion Queue Invalid");
        def(1, 0x01, "QID_INVALID", "Invalid Queue Identifier");
        def(1, 0x02, "QUEUE_SIZE", "Invalid Queue Size");
        def(1, 0x03, "ABORT_LIMIT", "Abort Command Limit Exceeded");
        def(1, 0x05, "ASYNC_LIMIT", "Asynchronous Event Request Limit Exceeded");
        def(1, 0x06, "FIRMWARE_SLOT", "Invalid Firmware Slot");
        def(1, 0x07, "FIRMWARE_IMAGE", "Invalid Firmware Image");
        def(1, 0x08, "INVALID_VECTOR", "Invalid Interrupt Vector");
        def(1, 0x09, "INVALID_LOG_PAGE", "Invalid Log Page");
        def(1, 0x0a, "INVALID_FORMAT", "Invalid Format");
        def(1, 0x0b, "FW_NEEDS_CONV_RESET", "Firmware Activation Requires Conventional Reset");
        def(1, 0x0c, "INVALID_QUEUE", "Invalid Queue Deletion");
        def(1, 0x0d, "FEATURE_NOT_SAVEABLE", "Feature Identifier Not Saveable");
        def(1, 0x0e, "FEATURE_NOT_CHANGEABLE", "Feature Not Changeable");
        def(1, 0x0f, "FEATURE_NOT_PER_NS", "Feature Not Namespace Specific");
        def(1, 0x10, "FW_NEEDS_SUBSYS_RESET", "Firmware Activation Requires NVM Subsystem Reset");
        def(1, 0x11, "FW_NEEDS_RESET", "Firmware Activation Requires Controller Level Reset");
        def(1, 0x12, "FW_NEEDS_MAX_TIME", "Firmware Activation Requires Maximum Time Violation");
        def(1, 0x13, "FW_ACTIVATE_PROHIBITED", "Firmware Activation Prohibited");
        def(1, 0x14, "OVERLAPPING_RANGE", "Overlapping Range");
        def(1, 0x15, "NS_INSUFFICIENT_CAP", "Namespace Insufficient Capacity");
        def(1, 0x16, "NS_ID_UNAVAILABLE", "Namespace Identifier Unavailable");
        def(1, 0x18, "NS_ALREADY_ATTACHED", "Namespace Already Attached");
        def(1, 0x19, "NS_IS_PRIVATE", "Namespace Is Private");
        def(1, 0x1a, "NS_NOT_ATTACHED", "Namespace Not Attached");
        def(1, 0x1b, "THIN_PROV_NOT_SUPP", "Thin Provisioning Not Supported");
        def(1, 0x1c, "CTRL_LIST_INVALID", "Controller List Invalid");
        def(1, 0x1d, "SELF_TEST_IN_PROGRESS", "Device Self-test In Progress");
        def(1, 0x1e, "BP_WRITE_PROHIBITED", "Boot Partition Write Prohibited");
        def(1, 0x1f, "CTRL_ID_INVALID", "Invalid Controller Identifier");
        def(1, 0x20, "SEC_CTRL_STATE_INVALID", "Invalid Secondary Controller State");
        def(1, 0x21, "CTRL_RES_NUM_INVALID", "Invalid Number of Controller Resources");
        def(1, 0x22, "RES_ID_INVALID", "Invalid Resource Identifier");
        def(1, 0x23, "PMR_SAN_PROHIBITED", "Sanitize Prohibited While Persistent Memory Region is Enabled");
        def(1, 0x24, "ANA_GROUP_ID_INVALID", "ANA Group Identifier Invalid");
        def(1, 0x25, "ANA_ATTACH_FAILED", "ANA Attach Failed");
        def(1, 0x29, "IOCS_NOT_SUPPORTED", "I/O Command Set Not Supported");
        def(1, 0x2a, "IOCS_NOT_ENABLED", "I/O Command Set Not Enabled");
        def(1, 0x2b, "IOCS_COMBINATION_REJECTED", "I/O Command Set Combination Rejected");
        def(1, 0x2c, "INVALID_IOCS", "Invalid I/O Command Set");
        def(1, 0x2d, "ID_UNAVAILABLE", "Identifier Unavailable");
        def(1, 0x80, "BAD_ATTRIBUTES", "Conflicting Attributes");
        def(1, 0x81, "INVALID_PI", "Invalid Protection Information");
        def(1, 0x82, "READ_ONLY", "Attempted Write to Read Only Range");
        def(1, 0xb8, "ZONE_BOUNDARY_ERROR", "Zone Boundary Error");
        def(1, 0xb9, "ZONE_FULL", "Zone Is Full");
        def(1, 0xba, "ZONE_READ_ONLY", "Zone Is Read Only");
        def(1, 0xbb, "ZONE_OFFLINE", "Zone Is Offline");
        def(1, 0xbc, "ZONE_INVALID_WRITE", "Zone Invalid Write");
        def(1, 0xbd, "ZONE_TOO_MANY_ACTIVE", "Too Many Active Zones");
        def(1, 0xbe, "ZONE_TOO_MANY_OPEN", "Too Many Open Zones");
        def(1, 0xbf, "ZONE_INVALID_TRANSITION", "Invalid Zone State Transition");
        // Media and data integrity errors (SCT 2h).
        def(2, 0x80, "WRITE_FAULT", "Write Fault");
        def(2, 0x81, "READ_ERROR", "Unrecovered Read Error");
        def(2, 0x82, "GUARD_CHECK", "End-to-end Guard Check Error");
        def(2, 0x83, "APPTAG_CHECK", "End-to-end Application Tag Check Error");
        def(2, 0x84, "REFTAG_CHECK", "End-to-end Reference Tag Check Error");
        def(2, 0x85, "COMPARE_FAILED", "Compare Failure");
        def(2, 0x86, "ACCESS_DENIED", "Access Denied");
        def(2, 0x87, "UNWRITTEN_BLOCK", "Deallocated or Unwritten Logical Block");
        def(2, 0x88, "STORAGE_TAG_CHECK", "End-to-end Storage Tag Check Error");
        // Path related status (SCT 3h); 70h and 71h are set by the host (Linux), not the controller.
        def(3, 0x00, "INTERNAL_PATH_ERROR", "Internal Path Error");
        def(3, 0x01, "ANA_PERSISTENT_LOSS", "Asymmetric Access Persistent Loss");
        def(3, 0x02, "ANA_INACCESSIBLE", "Asymmetric Access Inaccessible");
        def(3, 0x03, "ANA_TRANSITION", "Asymmetric Access Transition");
        def(3, 0x60, "CTRL_PATH_ERROR", "Controller Pathing Error");
        def(3, 0x70, "HOST_PATH_ERROR", "Host Pathing Error");
        def(3, 0x71, "HOST_ABORTED_CMD", "Command Aborted By Host");
    }

    private static void def(int sct, int sc, String token, String name) {
        int key = sct << 8 | sc;
        NAMES[key] = name;
        TOKENS[key] = token;
        if (BY_KEY.put(token, key) != null | BY_KEY.put(normalize(name), key) != null)
            throw new AssertionError("NVMe status token or name defined twice: " + token);
    }

    /**
     * Checks the value.
     *
     * @throws IllegalArgumentException {@code raw} has bits set above bit 14
     */
    public NvmeStatus {
        if ((raw & ~0x7fff) != 0)
            throw new IllegalArgumentException("not a 15-bit NVMe status: 0x" + Integer.toHexString(raw));
    }

    /** {@return the Status Code Type: 0 generic, 1 command specific, 2 media and data integrity, 3 path, 7 vendor} */
    public int sct() { return (raw >>> 8) & 0x7; }

    /** {@return the Status Code within its type} */
    public int sc() { return raw & 0xff; }

    /** {@return the Command Retry Delay index (0 none, 1 to 3 select CRDT1 to CRDT3)} */
    public int crd() { return (raw >>> 11) & 0x3; }

    /** {@return More: whether the Error Information log page has more about this status} */
    public boolean more() { return (raw & MORE) != 0; }

    /** {@return Do Not Retry: whether the same command is expected to fail again} */
    public boolean dnr() { return (raw & DNR) != 0; }

    /**
     * Builds a status from type and code.
     *
     * @param sct the Status Code Type, 0 to 7
     * @param sc  the Status Code, 0 to 255
     * @return the status, with no flags set
     */
    public static NvmeStatus of(int sct, int sc) {
        return new NvmeStatus(((sct & 0x7) << 8) | (sc & 0xff));
    }

    /** {@return the same status with Do Not Retry set} */
    public NvmeStatus withDnr() {
        return new NvmeStatus(raw | DNR);
    }

    /**
     * The specification's name of this type and code.
     *
     * @return e.g. {@code Invalid Namespace or Format}; {@code Vendor Specific} for type 7h,
     *         {@code Unknown Status} for a code not in the table
     */
    public String name() {
        String name = NAMES[raw & 0x7ff];
        if (name != null)
            return name;
        return sct() == SCT_VENDOR ? "Vendor Specific" : "Unknown Status";
    }

    /** {@return the short token of this type and code ({@code INVALID_NS}), or null if it has none} */
    public String token() {
        return TOKENS[raw & 0x7ff];
    }

    /**
     * The name, type and code, and whichever flags are set, e.g.
     * {@code Invalid Namespace or Format (SCT 0h SC 0Bh, DNR)}.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name())
                .append(String.format(" (SCT %Xh SC %02Xh", sct(), sc()));
        if (dnr())
            sb.append(", DNR");
        if (more())
            sb.append(", More");
        if (crd() != 0)
            sb.append(", CRD ").append(crd());
        return sb.append(')').toString();
    }

    /**
     * parse - an NVMe status from its text form
     *
     * <p>Accepts the raw value in hex ({@code 0x400b}) or decimal ({@code 16395}); a token, with or
     * without its {@code NVME_SC_} prefix ({@code INVALID_NS}, {@code nvme_sc_invalid_ns}); or a
     * name ({@code "Invalid Namespace or Format"}, case and spacing ignored). A token or name may
     * end in {@code +DNR} to set Do Not Retry. Zero (success) is accepted; callers that want a
     * failure check {@code raw() != 0}.
     *
     * @param text the text form
     * @return the status
     * @throws IllegalArgumentException {@code text} is none of these, or a number above 15 bits
     */
    public static NvmeStatus parse(String text) {
        String s = text.strip();
        if (s.isEmpty())
            throw new IllegalArgumentException("empty NVMe status");
        char c = s.charAt(0);
        if (c >= '0' && c <= '9') {
            int v;
            try {
                v = s.startsWith("0x") || s.startsWith("0X") ? Integer.parseInt(s.substring(2), 16)
                        : Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not an NVMe status number such as 0x400b"
                        + " or 16395");
            }
            if ((v & ~0x7fff) != 0)
                throw new IllegalArgumentException("'" + text + "' is not a 15-bit NVMe status");
            return new NvmeStatus(v);
        }
        Matcher m = DNR_SUFFIX.matcher(s);
        boolean dnr = m.find();
        if (dnr)
            s = s.substring(0, m.start());
        String upper = s.toUpperCase(Locale.ROOT);
        if (upper.startsWith("NVME_SC_"))
            upper = upper.substring("NVME_SC_".length());
        Integer key = BY_KEY.get(upper);
        if (key == null)
            key = BY_KEY.get(normalize(s));
        if (key == null)
            throw new IllegalArgumentException("'" + text + "' is not an NVMe status: give a number (0x400b)"
                    + ", a token such as INVALID_NS, INVALID_FIELD, NS_NOT_READY, INTERNAL, or a status name");
        NvmeStatus status = new NvmeStatus(key);
        return dnr ? status.withDnr() : status;
    }

    /** A name as a lookup key: upper case, runs of blanks as one underscore. */
    private static String normalize(String name) {
        return "NAME:" + name.strip().toUpperCase(Locale.ROOT).replaceAll("[\\s_-]+", "_");
    }
}
