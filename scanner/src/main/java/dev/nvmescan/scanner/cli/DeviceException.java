package dev.nvmescan.scanner.cli;

/** A device could not be opened or is not an NVMe controller: exit code 3, with one line for users. */
final class DeviceException extends Exception {
    private static final long serialVersionUID = 1L;

    DeviceException(String message, Throwable cause) {
        super(message, cause);
    }
}
