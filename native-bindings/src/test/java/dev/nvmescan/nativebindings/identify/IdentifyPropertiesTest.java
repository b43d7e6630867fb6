package dev.nvmescan.nativebindings.identify;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Every input decodes or fails with {@link IdentifyDecodeException}, never anything else; whatever
 * decodes encodes back to bytes that decode to the same record.
 */
class IdentifyPropertiesTest {

    /** The five decoders, each applied to raw bytes. */
    private static final List<Function<byte[], Object>> DECODERS = List.of(
            IdentifyController::decode,
            IdentifyNamespace::decode,
            NamespaceList::decode,
            NamespaceIdDescriptors::decode,
            b -> IdentifyZonedNamespace.decode(b, 1 + (b.length > 0 ? (b[0] & 63) : 0)));

    @Property(tries = 300)
    void anyLengthAnyBytesDecodesOrThrowsDecodeException(@ForAll("anyBytes") byte[] data) {
        for (Function<byte[], Object> decoder : DECODERS)
            decodeOrDecodeException(decoder, data);
    }

    @Property(tries = 400)
    void anyPageDecodesOrThrowsDecodeException(@ForAll("pages") byte[] page) {
        for (Function<byte[], Object> decoder : DECODERS)
            decodeOrDecodeException(decoder, page);
    }

    private static Object decodeOrDecodeException(Function<byte[], Object> decoder, byte[] data) {
        try {
            return decoder.apply(data);
        } catch (IdentifyDecodeException expected) {
            assertNotNull(expected.getMessage());
            return null;
        }
    }

    @Property(tries = 400)
    void controllerDecodeEncodeDecode(@ForAll("pages") byte[] page) {
        IdentifyController c = (IdentifyController) decodeOrDecodeException(IdentifyController::decode, page);
        if (c != null)
            assertEquals(c, IdentifyController.decode(c.encode()));
        decodedOften(c != null);
    }

    @Property(tries = 400)
    void namespaceDecodeEncodeDecode(@ForAll("pages") byte[] page) {
        IdentifyNamespace ns = (IdentifyNamespace) decodeOrDecodeException(IdentifyNamespace::decode, page);
        if (ns != null)
            assertEquals(ns, IdentifyNamespace.decode(ns.encode()));
        decodedOften(ns != null);
    }

    @Property(tries = 400)
    void descriptorsDecodeEncodeDecode(@ForAll("pages") byte[] page) {
        var d = (NamespaceIdDescriptors) decodeOrDecodeException(NamespaceIdDescriptors::decode, page);
        if (d != null)
            assertEquals(d, NamespaceIdDescriptors.decode(d.encode()));
        decodedOften(d != null);
    }

    /** Fails the property unless a fair share of its pages decoded: the round trip is not vacuous. */
    private static void decodedOften(boolean decoded) {
        Statistics.collect(decoded);
        Statistics.coverage(coverage -> coverage.check(true).percentage(p -> p > 20));
    }

    @Property(tries = 200)
    void zonedDecodeEncodeDecode(@ForAll("pages") byte[] page) {
        IdentifyZonedNamespace z = IdentifyZonedNamespace.decode(page, 64);
        assertEquals(z, IdentifyZonedNamespace.decode(z.encode(), 64));
    }

    @Property(tries = 200)
    void namespaceListRoundTrip(@ForAll("nsidLists") List<Integer> nsids) {
        NamespaceList list = new NamespaceList(nsids);
        assertEquals(list, NamespaceList.decode(list.encode()));
        assertEquals(nsids.size() == NamespaceList.CAPACITY, list.full());
    }

    @Property(tries = 200)
    void descriptorListRoundTrip(@ForAll("descriptorLists") List<NamespaceIdDescriptors.Descriptor> list) {
        NamespaceIdDescriptors d = new NamespaceIdDescriptors(list);
        assertEquals(d, NamespaceIdDescriptors.decode(d.encode()));
    }

    @Provide
    Arbitrary<byte[]> anyBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(5000);
    }

    /**
     * 4096-byte pages: all random, or zero with a few pokes (so the structures' consistency checks
     * pass often enough for the round trips to be exercised), or random with the fields that gate
     * decoding (npss, nlbaf, nulbaf, flbas, subnqn) sanitised.
     */
    @Provide
    Arbitrary<byte[]> pages() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofSize(4096);
        Arbitrary<byte[]> sparse = Combinators.combine(
                Arbitraries.integers().between(0, 4095).list().ofMaxSize(40),
                Arbitraries.bytes().list().ofSize(40))
                .as((offsets, values) -> {
                    byte[] b = new byte[4096];
                    for (int i = 0; i < offsets.size(); i++)
                        b[offsets.get(i)] = values.get(i);
                    return b;
                });
        Arbitrary<byte[]> sanitised = random.map(b -> {
            b[263] &= 31;                              // npss
            b[25] &= 31;                               // nlbaf
            b[82] &= 31;                               // nulbaf
            b[26] &= 0x0f;                             // flbas within the low 16 formats
            if ((b[26] & 0xff) > (b[25] & 0xff))
                b[26] = b[25];
            for (int i = 768; i < 1024; i++)           // subnqn: printable ASCII
                b[i] = (byte) (0x20 + (b[i] & 0x3f));
            return b;
        });
        return Arbitraries.oneOf(random, sparse, sanitised);
    }

    @Provide
    Arbitrary<List<Integer>> nsidLists() {
        return Arbitraries.integers().between(1, Integer.MAX_VALUE).set().ofMaxSize(1024)
                .map(s -> new ArrayList<>(new TreeSet<>(s)));
    }

    @Provide
    Arbitrary<List<NamespaceIdDescriptors.Descriptor>> descriptorLists() {
        Arbitrary<NamespaceIdDescriptors.Descriptor> eui = Arbitraries.strings().withChars("0123456789abcdef")
                .ofLength(16).map(NamespaceIdDescriptors.Eui64::new);
        Arbitrary<NamespaceIdDescriptors.Descriptor> nguid = Arbitraries.strings().withChars("0123456789abcdef")
                .ofLength(32).map(NamespaceIdDescriptors.Nguid::new);
        Arbitrary<NamespaceIdDescriptors.Descriptor> uuid = Arbitraries.longs().tuple2()
                .map(t -> new NamespaceIdDescriptors.Uuid(new UUID(t.get1(), t.get2())));
        Arbitrary<NamespaceIdDescriptors.Descriptor> csi = Arbitraries.integers().between(0, 255)
                .map(NamespaceIdDescriptors.Csi::new);
        Arbitrary<NamespaceIdDescriptors.Descriptor> unknown = Combinators.combine(
                Arbitraries.integers().between(5, 255),
                Arbitraries.strings().withChars("0123456789abcdef").ofMinLength(1).ofMaxLength(40)
                        .map(s -> s.length() % 2 == 0 ? s : s + "0"))
                .as(NamespaceIdDescriptors.Unknown::new);
        return Combinators.combine(eui.optional(), nguid.optional(), uuid.optional(), csi.optional(),
                        unknown.list().ofMaxSize(5), Arbitraries.randoms())
                .as((e, n, u, c, unknowns, random) -> {
                    List<NamespaceIdDescriptors.Descriptor> all = new ArrayList<>(unknowns);
                    e.ifPresent(all::add);
                    n.ifPresent(all::add);
                    u.ifPresent(all::add);
                    c.ifPresent(all::add);
                    Collections.shuffle(all, random);
                    return all;
                });
    }
}
