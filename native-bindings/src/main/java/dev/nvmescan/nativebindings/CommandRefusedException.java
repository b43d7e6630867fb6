package dev.nvmescan.nativebindings;

/**
 * An admin command that is not read-only was refused: the channel was opened without
 * {@link AdminChannels.Options#allowDestructive()}. Nothing reached the device.
 */
public final class CommandRefusedException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    /** The refused opcode. */
    private final int opcode;

    /**
     * Refuses {@code command}, naming it and the opt-in in the message.
     *
     * @param device  the channel's device
     * @param command the refused command
     */
    public CommandRefusedException(String device, AdminCommand command) {
        super(device + ": refused " + AdminOpcode.describe(command.opcode()) + " (NSID "
                + Integer.toUnsignedLong(command.nsid()) + "): it is not a read-only command; open the"
                + " channel with allowDestructive to send it");
        this.opcode = command.opcode();
    }

    /** {@return the refused opcode} */
    public int opcode() {
        return opcode;
    }
}
