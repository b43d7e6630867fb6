package dev.nvmescan.nativebindings.identify;

import static dev.nvmescan.nativebindings.identify.IdentifyFields.*;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * An Active Namespace ID list (Identify CNS 02h): up to 1024 little-endian NSIDs in increasing
 * order, ending at the first zero entry. One page answers "active NSIDs greater than the command's
 * NSID"; when it is {@link #full()}, more may follow and the next page starts after {@link #last()}.
 *
 * <p>NSIDs are unsigned 32-bit values held in {@code int}s ({@code 1} to {@code FFFFFFFEh}). A list
 * that is not strictly increasing does not decode: a host paging through it could loop forever.
 *
 * @param nsids the NSIDs, in list order
 */
public record NamespaceList(List<Integer> nsids) {

    /** Entries in one page. */
    public static final int CAPACITY = 1024;

    private static final String STRUCTURE = "Active Namespace ID list";
    private static final int BROADCAST = 0xffffffff;

    public NamespaceList {
        nsids = List.copyOf(nsids);
        String error = check(nsids);
        if (error != null)
            throw new IllegalArgumentException(error);
    }

    /** Decodes a 4096-byte Active Namespace ID list. */
    public static NamespaceList decode(MemorySegment data) {
        return decodeBytes(IdentifyFields.bytes(data, STRUCTURE));
    }

    /**
     * decodePage - decode the page that answered "active NSIDs greater than {@code after}"
     *
     * <p>Besides {@link #decode}'s checks, the page must start above {@code after}: a controller
     * that answers a page with NSIDs it already listed would be paged forever.
     * @throws IdentifyDecodeException the page is malformed or does not advance
     */
    public static NamespaceList decodePage(MemorySegment data, int after) {
        NamespaceList page = decode(data);
        if (!page.nsids.isEmpty() && Integer.compareUnsigned(page.nsids.getFirst(), after) <= 0)
            throw new IdentifyDecodeException(STRUCTURE + ": the page after NSID " + Integer.toUnsignedString(after)
                    + " starts at NSID " + Integer.toUnsignedString(page.nsids.getFirst()) + ", not above it");
        return page;
    }

    /** Decodes a 4096-byte Active Namespace ID list. */
    public static NamespaceList decode(byte[] data) {
        return decodeBytes(IdentifyFields.bytes(data, STRUCTURE));
    }

    private static NamespaceList decodeBytes(byte[] b) {
        List<Integer> nsids = new ArrayList<>();
        for (int i = 0; i < CAPACITY; i++) {
            int nsid = (int) u32(b, 4 * i);
            if (nsid == 0)
                break;
            nsids.add(nsid);
        }
        String error = check(nsids);
        if (error != null)
            throw new IdentifyDecodeException(STRUCTURE + ": " + error);
        return new NamespaceList(nsids);
    }

    /** Why {@code nsids} is not a valid list, or null when it is. */
    private static String check(List<Integer> nsids) {
        if (nsids.size() > CAPACITY)
            return nsids.size() + " NSIDs, more than " + CAPACITY;
        int previous = 0;
        for (int i = 0; i < nsids.size(); i++) {
            int nsid = nsids.get(i);
            if (nsid == 0 || nsid == BROADCAST)
                return "entry " + i + " (offset " + 4 * i + ") is not a valid NSID: "
                        + Integer.toUnsignedString(nsid);
            if (Integer.compareUnsigned(nsid, previous) <= 0)
                return "entry " + i + " (offset " + 4 * i + "), NSID " + Integer.toUnsignedString(nsid)
                        + ", does not follow " + Integer.toUnsignedString(previous) + " in increasing order";
            previous = nsid;
        }
        return null;
    }

    /** Encodes this list into a new 4096-byte array, zero filled after the last NSID. */
    public byte[] encode() {
        byte[] b = new byte[SIZE];
        for (int i = 0; i < nsids.size(); i++)
            put(b, 4 * i, 4, Integer.toUnsignedLong(nsids.get(i)), "nsid");
        return b;
    }

    /** Encodes this list into {@code data}, which must be 4096 bytes. */
    public void encodeTo(MemorySegment data) {
        IdentifyFields.copyTo(encode(), data);
    }

    /** The page holds {@value #CAPACITY} NSIDs: another page may follow. */
    public boolean full() {
        return nsids.size() == CAPACITY;
    }

    /** The last NSID of the page, 0 for an empty page. */
    public int last() {
        return nsids.isEmpty() ? 0 : nsids.getLast();
    }
}
