package dev.nvmescan.nativebindings.identify;

import static dev.nvmescan.nativebindings.identify.IdentifyFields.*;

import dev.nvmescan.nativebindings.AdminCommand;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A Namespace Identification Descriptor list (Identify CNS 03h): the namespace's identifiers. Each
 * descriptor is NIDT (type), NIDL (length), two reserved bytes, then NIDL bytes of identifier; the
 * list ends at a descriptor whose NIDT is 0, or at the end of the 4096 bytes.
 *
 * <p>Known types and their required lengths: 1 EUI-64 (8), 2 NGUID (16), 3 UUID (16), 4 Command Set
 * Identifier (1). A known type with another length, a descriptor running past the end, a non-zero
 * NIDT with zero length, or a known type listed twice does not decode. Types the specification
 * reserves are kept as {@link Unknown}, so nothing a newer controller reports is lost.
 *
 * @param descriptors the descriptors, in list order
 */
public record NamespaceIdDescriptors(List<Descriptor> descriptors) {

    /** Namespace Identifier Types (NIDT) of the known descriptors. */
    public static final int NIDT_EUI64 = 1, NIDT_NGUID = 2, NIDT_UUID = 3, NIDT_CSI = 4;

    private static final String STRUCTURE = "Namespace Identification Descriptor list";
    private static final int HEADER = 4;

    /**
     * Checks the list.
     *
     * @throws IllegalArgumentException a known type listed twice, or more descriptors than 4096
     *                                  bytes hold
     */
    public NamespaceIdDescriptors {
        descriptors = List.copyOf(descriptors);
        String error = check(descriptors);
        if (error != null)
            throw new IllegalArgumentException(error);
    }

    /**
     * Decodes a 4096-byte Namespace Identification Descriptor list.
     *
     * @param data the structure as the controller returned it
     * @return the list
     * @throws IdentifyDecodeException not 4096 bytes, or a malformed descriptor (see above)
     */
    public static NamespaceIdDescriptors decode(MemorySegment data) {
        return decodeBytes(IdentifyFields.bytes(data, STRUCTURE));
    }

    /**
     * Decodes a 4096-byte Namespace Identification Descriptor list.
     *
     * @param data the structure as the controller returned it
     * @return the list
     * @throws IdentifyDecodeException not 4096 bytes, or a malformed descriptor (see above)
     */
    public static NamespaceIdDescriptors decode(byte[] data) {
        return decodeBytes(IdentifyFields.bytes(data, STRUCTURE));
    }

    private static NamespaceIdDescriptors decodeBytes(byte[] b) {
        List<Descriptor> list = new ArrayList<>();
        int pos = 0;
        while (pos < SIZE && b[pos] != 0) {
            int nidt = u8(b, pos);
            if (pos + HEADER > SIZE)
                throw error(pos, "header of type " + nidt + " runs past the end");
            int nidl = u8(b, pos + 1), value = pos + HEADER;
            if (nidl == 0)
                throw error(pos, "type " + nidt + " has length 0");
            if (value + nidl > SIZE)
                throw error(pos, "type " + nidt + " with length " + nidl + " runs past the end");
            int expected = expectedLength(nidt);
            if (expected != 0 && nidl != expected)
                throw error(pos, "type " + nidt + " must have length " + expected + ", has " + nidl);
            list.add(switch (nidt) {
                case NIDT_EUI64 -> new Eui64(hex(b, value, 8));
                case NIDT_NGUID -> new Nguid(hex(b, value, 16));
                case NIDT_UUID -> new Uuid(IdentifyFields.uuid(b, value));
                case NIDT_CSI -> new Csi(u8(b, value));
                default -> new Unknown(nidt, hex(b, value, nidl));
            });
            pos = value + nidl;
        }
        String error = check(list);
        if (error != null)
            throw new IdentifyDecodeException(STRUCTURE + ": " + error);
        return new NamespaceIdDescriptors(list);
    }

    private static IdentifyDecodeException error(int pos, String what) {
        return new IdentifyDecodeException(STRUCTURE + ": descriptor at offset " + pos + ": " + what);
    }

    /** The length a known type requires, 0 for a reserved type. */
    private static int expectedLength(int nidt) {
        return switch (nidt) {
            case NIDT_EUI64 -> 8;
            case NIDT_NGUID, NIDT_UUID -> 16;
            case NIDT_CSI -> 1;
            default -> 0;
        };
    }

    /** Why the list is not valid (a known type twice, too long to encode), or null. */
    private static String check(List<Descriptor> list) {
        int bytes = 0;
        boolean[] seen = new boolean[NIDT_CSI + 1];
        for (Descriptor d : list) {
            Objects.requireNonNull(d, "descriptor");
            bytes += HEADER + d.nidl();
            if (d.nidt() <= NIDT_CSI) {
                if (seen[d.nidt()])
                    return "type " + d.nidt() + " (" + d.type() + ") appears more than once";
                seen[d.nidt()] = true;
            }
        }
        return bytes > SIZE ? "descriptors need " + bytes + " bytes, more than " + SIZE : null;
    }

    /** {@return this list encoded in a new 4096-byte array, zero filled after the last descriptor} */
    public byte[] encode() {
        byte[] b = new byte[SIZE];
        int pos = 0;
        for (Descriptor d : descriptors) {
            put(b, pos, 1, d.nidt(), "nidt");
            put(b, pos + 1, 1, d.nidl(), "nidl");
            d.encodeValue(b, pos + HEADER);
            pos += HEADER + d.nidl();
        }
        return b;
    }

    /**
     * Encodes this list into {@code data}.
     *
     * @param data a 4096-byte buffer
     * @throws IllegalArgumentException {@code data} is not 4096 bytes
     */
    public void encodeTo(MemorySegment data) {
        IdentifyFields.copyTo(encode(), data);
    }

    /** {@return the EUI-64, as lower-case hex, if the namespace reports one} */
    public Optional<String> eui64() {
        return find(Eui64.class).map(Eui64::hex);
    }

    /** {@return the NGUID, as lower-case hex, if the namespace reports one} */
    public Optional<String> nguid() {
        return find(Nguid.class).map(Nguid::hex);
    }

    /** {@return the namespace UUID, if the namespace reports one} */
    public Optional<UUID> uuid() {
        return find(Uuid.class).map(Uuid::uuid);
    }

    /**
     * {@return the command set identifier} A namespace without a CSI descriptor uses the NVM command
     * set ({@link AdminCommand#CSI_NVM}).
     */
    public int csi() {
        return find(Csi.class).map(Csi::csi).orElse(AdminCommand.CSI_NVM);
    }

    private <T extends Descriptor> Optional<T> find(Class<T> type) {
        return descriptors.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    /** One descriptor: its type (NIDT), length (NIDL), type name and value as nvme-cli prints them. */
    public sealed interface Descriptor permits Eui64, Nguid, Uuid, Csi, Unknown {
        /** {@return the Namespace Identifier Type (NIDT)} */
        int nidt();

        /** {@return the Namespace Identifier Length (NIDL): the identifier's bytes, header excluded} */
        int nidl();

        /** {@return {@code eui64}, {@code nguid}, {@code uuid}, {@code csi}, or {@code unknown}} */
        String type();

        /**
         * {@return the value: hex for EUI-64, NGUID and unknown types, the canonical UUID form, the
         * CSI number}
         */
        String value();

        /**
         * Writes the identifier's {@link #nidl()} bytes, without the header.
         *
         * @param b   the structure being encoded
         * @param off where the identifier starts in {@code b}
         */
        void encodeValue(byte[] b, int off);
    }

    /**
     * IEEE Extended Unique Identifier, 8 bytes as 16 hex digits.
     *
     * @param hex the identifier as 16 hex digits, stored in lower case
     */
    public record Eui64(String hex) implements Descriptor {
        /**
         * Checks and lower-cases the digits.
         *
         * @throws IllegalArgumentException not 16 hex digits
         */
        public Eui64 {
            hex = hexOfLength(hex, 8, "eui64");
        }

        public int nidt() { return NIDT_EUI64; }

        public int nidl() { return 8; }

        public String type() { return "eui64"; }

        public String value() { return hex; }

        public void encodeValue(byte[] b, int off) { putHex(b, off, 8, hex, "eui64"); }
    }

    /**
     * Namespace Globally Unique Identifier, 16 bytes as 32 hex digits.
     *
     * @param hex the identifier as 32 hex digits, stored in lower case
     */
    public record Nguid(String hex) implements Descriptor {
        /**
         * Checks and lower-cases the digits.
         *
         * @throws IllegalArgumentException not 32 hex digits
         */
        public Nguid {
            hex = hexOfLength(hex, 16, "nguid");
        }

        public int nidt() { return NIDT_NGUID; }

        public int nidl() { return 16; }

        public String type() { return "nguid"; }

        public String value() { return hex; }

        public void encodeValue(byte[] b, int off) { putHex(b, off, 16, hex, "nguid"); }
    }

    /**
     * Namespace UUID, 16 bytes in memory order.
     *
     * @param uuid the UUID
     */
    public record Uuid(UUID uuid) implements Descriptor {
        /**
         * Checks the UUID is there.
         *
         * @throws NullPointerException {@code uuid} is null
         */
        public Uuid {
            Objects.requireNonNull(uuid, "uuid");
        }

        public int nidt() { return NIDT_UUID; }

        public int nidl() { return 16; }

        public String type() { return "uuid"; }

        public String value() { return uuid.toString(); }

        public void encodeValue(byte[] b, int off) { putUuid(b, off, uuid); }
    }

    /**
     * Command Set Identifier: 0 NVM, 1 Key Value, 2 Zoned Namespace.
     *
     * @param csi the command set, 0 to 255
     */
    public record Csi(int csi) implements Descriptor {
        /**
         * Checks the range.
         *
         * @throws IllegalArgumentException {@code csi} outside 0 to 255
         */
        public Csi {
            if (csi < 0 || csi > 0xff)
                throw new IllegalArgumentException("csi out of range: " + csi);
        }

        public int nidt() { return NIDT_CSI; }

        public int nidl() { return 1; }

        public String type() { return "csi"; }

        public String value() { return Integer.toString(csi); }

        public void encodeValue(byte[] b, int off) { b[off] = (byte) csi; }
    }

    /**
     * A descriptor of a type the specification reserves, kept as raw hex.
     *
     * @param nidt the type, 5 to 255
     * @param hex  the identifier as hex digits, 1 to 255 bytes, stored in lower case
     */
    public record Unknown(int nidt, String hex) implements Descriptor {
        /**
         * Checks the type and the digits.
         *
         * @throws IllegalArgumentException a known or out-of-range type, or not 1 to 255 bytes of hex digits
         */
        public Unknown {
            if (nidt <= NIDT_CSI || nidt > 0xff)
                throw new IllegalArgumentException("not a reserved descriptor type: " + nidt);
            Objects.requireNonNull(hex, "hex");
            if (hex.isEmpty() || hex.length() > 2 * 0xff)
                throw new IllegalArgumentException("descriptor value must be 1 to 255 bytes: " + hex);
            hex = hexOfLength(hex, hex.length() / 2, "value");
        }

        public int nidl() { return hex.length() / 2; }

        public String type() { return "unknown"; }

        public String value() { return hex; }

        public void encodeValue(byte[] b, int off) { putHex(b, off, nidl(), hex, "value"); }
    }

    /** {@code hex} in lower case, checked to be {@code bytes} bytes of hex digits. */
    private static String hexOfLength(String hex, int bytes, String field) {
        Objects.requireNonNull(hex, field);
        if (hex.length() != 2 * bytes || !hex.chars().allMatch(HexFormat::isHexDigit))
            throw new IllegalArgumentException(field + " must be " + 2 * bytes + " hex digits: " + hex);
        return hex.toLowerCase(java.util.Locale.ROOT);
    }
}
