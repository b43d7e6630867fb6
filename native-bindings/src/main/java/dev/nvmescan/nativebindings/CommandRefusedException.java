package dev.nvmescan.nativebindings;

/**
 * An admin command that is not read-only was refused: the handle was opened without
 * {@link NvmeController.Option#ALLOW_DESTRUCTIVE}. Nothing reached the device.
 */
public final class CommandRefusedException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final int opcode;

    public CommandRefusedException(String device, AdminCommand command) {
        super(device + ": refused " + AdminOpcode.describe(command.opcode()) + " (NSID "
                + Integer.toUnsignedLong(command.nsid()) + "): it is not a read-only command; open the"
                + " controller with ALLOW_DESTRUCTIVE to send it");
        this.opcode = command.opcode();
    }

    /** The refused opcode. */
    public int opcode() {
        return opcode;
    }
}
