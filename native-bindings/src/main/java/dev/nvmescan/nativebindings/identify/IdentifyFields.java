package dev.nvmescan.nativebindings.identify;

import dev.nvmescan.nativebindings.DataBuffers;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Field access for the 4096-byte Identify data structures: little-endian integers at byte offsets,
 * space-padded ASCII strings, NUL-padded UTF-8 strings and identifiers as lower-case hex, the way
 * nvme-cli prints them. Reads and writes are bounded by the caller's offsets, which are constants of
 * the structure layouts, so they cannot leave the 4096 bytes.
 */
final class IdentifyFields {
    /** Size of every Identify data structure. */
    static final int SIZE = (int) DataBuffers.IDENTIFY_SIZE;

    private static final HexFormat HEX = HexFormat.of();
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    private IdentifyFields() {}

    /** A copy of {@code data}, checked to be exactly one Identify structure. */
    static byte[] bytes(MemorySegment data, String structure) {
        if (data == null)
            throw new IdentifyDecodeException(structure + ": no data");
        if (data.byteSize() != SIZE)
            throw new IdentifyDecodeException(structure + ": expected " + SIZE + " bytes, got " + data.byteSize());
        return data.toArray(ValueLayout.JAVA_BYTE);
    }

    /** {@code data} itself, checked to be exactly one Identify structure. */
    static byte[] bytes(byte[] data, String structure) {
        if (data == null)
            throw new IdentifyDecodeException(structure + ": no data");
        if (data.length != SIZE)
            throw new IdentifyDecodeException(structure + ": expected " + SIZE + " bytes, got " + data.length);
        return data;
    }

    static int u8(byte[] b, int off) {
        return b[off] & 0xff;
    }

    static int u16(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
    }

    static int u24(byte[] b, int off) {
        return u16(b, off) | (b[off + 2] & 0xff) << 16;
    }

    static long u32(byte[] b, int off) {
        return Integer.toUnsignedLong(u16(b, off) | u16(b, off + 2) << 16);
    }

    static long u64(byte[] b, int off) {
        return u32(b, off) | u32(b, off + 4) << 32;
    }

    /** A little-endian unsigned 128-bit counter (capacities in bytes). */
    static BigInteger u128(byte[] b, int off) {
        BigInteger lo = new BigInteger(Long.toUnsignedString(u64(b, off)));
        BigInteger hi = new BigInteger(Long.toUnsignedString(u64(b, off + 8)));
        return hi.multiply(TWO_64).add(lo);
    }

    /** A space-padded ASCII field, trimmed; every byte kept as one char (ISO 8859-1). */
    static String ascii(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.ISO_8859_1).trim();
    }

    /** A NUL-terminated (or NUL-padded) UTF-8 field such as the subsystem NQN. */
    static String utf8z(byte[] b, int off, int len, String structure, String field) {
        int end = off;
        while (end < off + len && b[end] != 0)
            end++;
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, off, end - off)).toString();
        } catch (CharacterCodingException e) {
            throw new IdentifyDecodeException(structure + ": " + field + " at offset " + off
                    + " is not valid UTF-8");
        }
    }

    /** The bytes up to the first NUL, one char per byte (ISO 8859-1), e.g. a vendor specific area. */
    static String latin1z(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0)
            end++;
        return new String(b, off, end - off, StandardCharsets.ISO_8859_1);
    }

    /** Bytes as lower-case hex in memory order ({@code nguid}, {@code eui64}). */
    static String hex(byte[] b, int off, int len) {
        return HEX.formatHex(b, off, off + len);
    }

    /** Writes an unsigned field of {@code bytes} bytes, little endian, refusing values that do not fit. */
    static void put(byte[] b, int off, int bytes, long v, String field) {
        if (bytes < 8 && (v >>> (8 * bytes)) != 0)
            throw new IllegalArgumentException(field + " does not fit " + 8 * bytes + " unsigned bits: " + v);
        for (int i = 0; i < bytes; i++)
            b[off + i] = (byte) (v >>> (8 * i));
    }

    static void put128(byte[] b, int off, BigInteger v, String field) {
        if (v.signum() < 0 || v.bitLength() > 128)
            throw new IllegalArgumentException(field + " does not fit 128 unsigned bits: " + v);
        put(b, off, 8, v.longValue(), field);
        put(b, off + 8, 8, v.shiftRight(64).longValue(), field);
    }

    /** Writes {@code s} space padded; chars must be single bytes (ISO 8859-1). */
    static void putAscii(byte[] b, int off, int len, String s, String field) {
        if (s.length() > len)
            throw new IllegalArgumentException(field + " longer than " + len + " bytes: " + s);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0xff)
                throw new IllegalArgumentException(field + " has a character outside ISO 8859-1: " + s);
            b[off + i] = (byte) c;
        }
        Arrays.fill(b, off + s.length(), off + len, (byte) ' ');
    }

    /** Writes {@code s} one byte per char, NUL padded; chars must be single bytes other than NUL. */
    static void putLatin1z(byte[] b, int off, int len, String s, String field) {
        if (s.length() > len || s.indexOf('\0') >= 0 || s.chars().anyMatch(c -> c > 0xff))
            throw new IllegalArgumentException(field + " must be at most " + len
                    + " ISO 8859-1 chars without NUL: " + s);
        for (int i = 0; i < s.length(); i++)
            b[off + i] = (byte) s.charAt(i);
    }

    /** Writes {@code s} as UTF-8, NUL padded. */
    static void putUtf8z(byte[] b, int off, int len, String s, String field) {
        byte[] u = s.getBytes(StandardCharsets.UTF_8);
        if (u.length > len || s.indexOf('\0') >= 0)
            throw new IllegalArgumentException(field + " must be at most " + len + " UTF-8 bytes without NUL: " + s);
        System.arraycopy(u, 0, b, off, u.length);
    }

    /** Writes a hex identifier of exactly {@code len} bytes. */
    static void putHex(byte[] b, int off, int len, String hex, String field) {
        if (hex.length() != 2 * len)
            throw new IllegalArgumentException(field + " must be " + 2 * len + " hex digits: " + hex);
        try {
            System.arraycopy(HEX.parseHex(hex), 0, b, off, len);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " is not hex: " + hex, e);
        }
    }

    /** The 16 bytes at {@code off} as a UUID, most significant byte first (memory order). */
    static UUID uuid(byte[] b, int off) {
        return new UUID(be64(b, off), be64(b, off + 8));
    }

    static void putUuid(byte[] b, int off, UUID u) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (u.getMostSignificantBits() >>> (56 - 8 * i));
            b[off + 8 + i] = (byte) (u.getLeastSignificantBits() >>> (56 - 8 * i));
        }
    }

    private static long be64(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++)
            v = v << 8 | (b[off + i] & 0xff);
        return v;
    }

    /** Copies an encoded structure into {@code data}, which must be exactly 4096 bytes. */
    static void copyTo(byte[] encoded, MemorySegment data) {
        if (data.byteSize() != SIZE)
            throw new IllegalArgumentException("Identify data buffer must be " + SIZE + " bytes, got " + data.byteSize());
        MemorySegment.copy(encoded, 0, data, ValueLayout.JAVA_BYTE, 0, SIZE);
    }
}
