package dev.nvmescan.nativebindings;

/**
 * The admin command opcodes of the NVMe Base Specification 2.0, and which of them only read.
 *
 * <p>A handle runs the read-only ones by default: Identify, Get Log Page, Get Features and Get LBA
 * Status fetch data and change nothing a user could lose. Every other opcode, known or vendor
 * specific, may change the controller, its namespaces or their data (Format NVM, Sanitize, Firmware
 * Commit, ...) or the driver's own queues, and needs an explicit opt-in when the channel is opened
 * ({@link AdminChannels.Options#allowDestructive()}); otherwise every channel refuses it with
 * {@link CommandRefusedException} before it reaches the device ({@link #requireAllowed}).
 */
public enum AdminOpcode {
    DELETE_IO_SQ(0x00, "Delete I/O Submission Queue"),
    CREATE_IO_SQ(0x01, "Create I/O Submission Queue"),
    GET_LOG_PAGE(0x02, "Get Log Page", true),
    DELETE_IO_CQ(0x04, "Delete I/O Completion Queue"),
    CREATE_IO_CQ(0x05, "Create I/O Completion Queue"),
    IDENTIFY(0x06, "Identify", true),
    ABORT(0x08, "Abort"),
    SET_FEATURES(0x09, "Set Features"),
    GET_FEATURES(0x0a, "Get Features", true),
    ASYNC_EVENT_REQUEST(0x0c, "Asynchronous Event Request"),
    NAMESPACE_MANAGEMENT(0x0d, "Namespace Management"),
    FIRMWARE_COMMIT(0x10, "Firmware Commit"),
    FIRMWARE_IMAGE_DOWNLOAD(0x11, "Firmware Image Download"),
    DEVICE_SELF_TEST(0x14, "Device Self-test"),
    NAMESPACE_ATTACHMENT(0x15, "Namespace Attachment"),
    KEEP_ALIVE(0x18, "Keep Alive"),
    DIRECTIVE_SEND(0x19, "Directive Send"),
    /** Not read-only: the Streams directive allocates resources through it. */
    DIRECTIVE_RECEIVE(0x1a, "Directive Receive"),
    VIRTUALIZATION_MANAGEMENT(0x1c, "Virtualization Management"),
    NVME_MI_SEND(0x1d, "NVMe-MI Send"),
    NVME_MI_RECEIVE(0x1e, "NVMe-MI Receive"),
    CAPACITY_MANAGEMENT(0x20, "Capacity Management"),
    LOCKDOWN(0x24, "Lockdown"),
    DOORBELL_BUFFER_CONFIG(0x7c, "Doorbell Buffer Config"),
    FABRICS(0x7f, "Fabrics Command"),
    FORMAT_NVM(0x80, "Format NVM"),
    SECURITY_SEND(0x81, "Security Send"),
    /** Not read-only: security protocols (TCG) consume responses and change state through it. */
    SECURITY_RECEIVE(0x82, "Security Receive"),
    SANITIZE(0x84, "Sanitize"),
    GET_LBA_STATUS(0x86, "Get LBA Status", true);

    private static final AdminOpcode[] BY_CODE = new AdminOpcode[256];

    static {
        for (AdminOpcode op : values())
            BY_CODE[op.code] = op;
    }

    private final int code;
    private final String displayName;
    private final boolean readOnly;

    AdminOpcode(int code, String displayName) {
        this(code, displayName, false);
    }

    AdminOpcode(int code, String displayName, boolean readOnly) {
        this.code = code;
        this.displayName = displayName;
        this.readOnly = readOnly;
    }

    /** The opcode byte. */
    public int code() { return code; }

    /** The specification's name, e.g. {@code Format NVM}. */
    public String displayName() { return displayName; }

    /** Whether the command only reads, and so runs without the opt-in. */
    public boolean readOnly() { return readOnly; }

    /** The opcode with this code, or null for a reserved or vendor specific one. */
    public static AdminOpcode of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** Whether {@code code} is one of the read-only opcodes; false for any unknown one. */
    public static boolean isReadOnly(int code) {
        AdminOpcode op = of(code);
        return op != null && op.readOnly;
    }

    /**
     * requireAllowed - the read-only guard every {@link AdminChannel} applies before a command
     * @param allowDestructive the channel was opened with the opt-in for every opcode
     * @throws CommandRefusedException the opcode is not read-only and there is no opt-in
     */
    public static void requireAllowed(String device, AdminCommand command, boolean allowDestructive) {
        if (!allowDestructive && !isReadOnly(command.opcode()))
            throw new CommandRefusedException(device, command);
    }

    /**
     * Whether the command's data goes from host to controller: opcode bits 1:0 are 01b, or 11b
     * (bidirectional). Used to copy data into the buffer the kernel transfers.
     */
    public static boolean transfersToController(int code) {
        return (code & 1) != 0;
    }

    /**
     * Whether the command's data comes back from the controller: opcode bits 1:0 are 10b, 11b
     * (bidirectional), or 00b, which vendor specific commands use for either direction (the ioctl
     * copies back whatever the kernel transferred, and so do the other channels).
     */
    public static boolean transfersToHost(int code) {
        return (code & 3) != 1;
    }

    /** {@code Format NVM (80h)}, or {@code vendor specific admin opcode C1h} and the like. */
    public static String describe(int code) {
        AdminOpcode op = of(code);
        if (op != null)
            return String.format("%s (%02Xh)", op.displayName, code);
        return String.format(code >= 0xc0 ? "vendor specific admin opcode %02Xh" : "admin opcode %02Xh", code);
    }
}
