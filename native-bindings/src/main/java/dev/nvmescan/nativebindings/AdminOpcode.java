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
    /** Removes an I/O submission queue. */
    DELETE_IO_SQ(0x00, "Delete I/O Submission Queue"),
    /** Creates an I/O submission queue. */
    CREATE_IO_SQ(0x01, "Create I/O Submission Queue"),
    /** Reads a log page (SMART / Health, Error Information, ...). Read-only. */
    GET_LOG_PAGE(0x02, "Get Log Page", true),
    /** Removes an I/O completion queue. */
    DELETE_IO_CQ(0x04, "Delete I/O Completion Queue"),
    /** Creates an I/O completion queue. */
    CREATE_IO_CQ(0x05, "Create I/O Completion Queue"),
    /** Reads a data structure describing the controller, a namespace or a list of them. Read-only. */
    IDENTIFY(0x06, "Identify", true),
    /** Aborts a command submitted earlier. */
    ABORT(0x08, "Abort"),
    /** Changes a feature's setting (power state, temperature threshold, ...). */
    SET_FEATURES(0x09, "Set Features"),
    /** Reads a feature's setting. Read-only. */
    GET_FEATURES(0x0a, "Get Features", true),
    /** Asks the controller to report its next asynchronous event; the driver keeps these outstanding. */
    ASYNC_EVENT_REQUEST(0x0c, "Asynchronous Event Request"),
    /** Creates or deletes a namespace. */
    NAMESPACE_MANAGEMENT(0x0d, "Namespace Management"),
    /** Activates a firmware image, or commits one to a slot. */
    FIRMWARE_COMMIT(0x10, "Firmware Commit"),
    /** Transfers part of a firmware image to the controller. */
    FIRMWARE_IMAGE_DOWNLOAD(0x11, "Firmware Image Download"),
    /** Starts or aborts a device self-test. */
    DEVICE_SELF_TEST(0x14, "Device Self-test"),
    /** Attaches a namespace to controllers, or detaches it. */
    NAMESPACE_ATTACHMENT(0x15, "Namespace Attachment"),
    /** Tells the controller the host is still there; the driver sends it. */
    KEEP_ALIVE(0x18, "Keep Alive"),
    /** Sends directive data (Streams, Data Placement, ...). */
    DIRECTIVE_SEND(0x19, "Directive Send"),
    /** Reads directive data; not read-only: the Streams directive allocates resources through it. */
    DIRECTIVE_RECEIVE(0x1a, "Directive Receive"),
    /** Assigns flexible resources to primary and secondary controllers. */
    VIRTUALIZATION_MANAGEMENT(0x1c, "Virtualization Management"),
    /** An NVMe Management Interface command sent in band, with data to the controller. */
    NVME_MI_SEND(0x1d, "NVMe-MI Send"),
    /** An NVMe Management Interface command sent in band, with data from the controller. */
    NVME_MI_RECEIVE(0x1e, "NVMe-MI Receive"),
    /** Creates or deletes Endurance Groups and NVM Sets. */
    CAPACITY_MANAGEMENT(0x20, "Capacity Management"),
    /** Prohibits or allows commands and Set Features identifiers on an interface. */
    LOCKDOWN(0x24, "Lockdown"),
    /** Sets up shadow doorbell buffers (emulated controllers). */
    DOORBELL_BUFFER_CONFIG(0x7c, "Doorbell Buffer Config"),
    /** A fabrics command (Connect, Property Get and Set, Authentication, ...). */
    FABRICS(0x7f, "Fabrics Command"),
    /** Formats one namespace or all of them: erases their data and may change the LBA format. */
    FORMAT_NVM(0x80, "Format NVM"),
    /** Sends security protocol data (TCG Opal, ...). */
    SECURITY_SEND(0x81, "Security Send"),
    /**
     * Receives security protocol data; not read-only: security protocols (TCG) consume responses
     * and change state through it.
     */
    SECURITY_RECEIVE(0x82, "Security Receive"),
    /** Erases all user data of the NVM subsystem, caches included. */
    SANITIZE(0x84, "Sanitize"),
    /** Reports LBAs that may be unrecoverable. Read-only. */
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

    /** {@return the opcode byte} */
    public int code() { return code; }

    /** {@return the specification's name, e.g. {@code Format NVM}} */
    public String displayName() { return displayName; }

    /** {@return whether the command only reads, and so runs without the opt-in} */
    public boolean readOnly() { return readOnly; }

    /**
     * Looks an opcode up by its code.
     *
     * @param code the opcode byte
     * @return the opcode with this code, or null for a reserved or vendor specific one
     */
    public static AdminOpcode of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /**
     * Tells the read-only opcodes from the others.
     *
     * @param code the opcode byte
     * @return whether {@code code} is one of the read-only opcodes; false for any unknown one
     */
    public static boolean isReadOnly(int code) {
        AdminOpcode op = of(code);
        return op != null && op.readOnly;
    }

    /**
     * requireAllowed - the read-only guard every {@link AdminChannel} applies before a command
     * @param device           the channel's device, for the message
     * @param command          the command about to be sent
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
     *
     * @param code the opcode byte
     * @return whether data goes to the controller
     */
    public static boolean transfersToController(int code) {
        return (code & 1) != 0;
    }

    /**
     * Whether the command's data comes back from the controller: opcode bits 1:0 are 10b, 11b
     * (bidirectional), or 00b, which vendor specific commands use for either direction (the ioctl
     * copies back whatever the kernel transferred, and so do the other channels).
     *
     * @param code the opcode byte
     * @return whether data comes back to the host
     */
    public static boolean transfersToHost(int code) {
        return (code & 3) != 1;
    }

    /**
     * Names an opcode for messages.
     *
     * @param code the opcode byte
     * @return e.g. {@code Format NVM (80h)}, or {@code vendor specific admin opcode C1h}
     */
    public static String describe(int code) {
        AdminOpcode op = of(code);
        if (op != null)
            return String.format("%s (%02Xh)", op.displayName, code);
        return String.format(code >= 0xc0 ? "vendor specific admin opcode %02Xh" : "admin opcode %02Xh", code);
    }
}
