package dev.nvmescan.nativebindings.identify;

/**
 * An Identify data structure could not be decoded: wrong size, or fields that contradict each other
 * or the specification (a descriptor length that does not match its type, an in-use LBA format past
 * the end of the list, ...). The message names the structure, the field and its byte offset.
 *
 * <p>Unchecked: decoding is a pure function of bytes the caller already holds, so a failure is a
 * property of the data, handled where the data is used (the scanner reports the namespace as an
 * error entry). The decoders throw nothing else for any input.
 */
public final class IdentifyDecodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A decoding failure.
     *
     * @param message names the structure, the field and its byte offset
     */
    public IdentifyDecodeException(String message) {
        super(message);
    }
}
