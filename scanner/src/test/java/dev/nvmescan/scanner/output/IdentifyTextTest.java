package dev.nvmescan.scanner.output;

import static org.junit.jupiter.api.Assertions.*;

import dev.nvmescan.nativebindings.identify.IdentifyController;
import dev.nvmescan.nativebindings.identify.IdentifyNamespace;
import dev.nvmescan.nativebindings.identify.NamespaceIdDescriptors;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The text of whole structures against nvme-cli 2.16's. Each fixture {@code nvme-cli-2.16/NAME.bin}
 * is a 4096-byte structure (random bytes, "sparse" ones with most bits clear, "dense" ones with
 * most set, so every bit-field text and every reserved-bits line shows); {@code NAME.txt} and
 * {@code NAME-H.txt} are what nvme-cli 2.16's own {@code stdout_id_ctrl} and {@code stdout_id_ns}
 * (nvme-print-stdout.c at tag v2.16, over libnvme 1.16's structures, C locale) printed for it,
 * without and with {@code -H}. The random bytes keep to what nvmescan is documented to match: sn,
 * mn, fr space-padded ASCII; reserved bits of the power states' rrt..rwl and of the LBA formats'
 * ds and rp clear; bpcap bits 1:0 not 3. {@code sim-*.txt} are 2.16's output, made the same way,
 * for the simulated controller: id-ctrl of {@code sim:?namespaces=2}, id-ns 2 of
 * {@code sim:?namespaces=2&lba=4096}, ns-descs 1 ({@code -v} for the verbose form).
 */
class IdentifyTextTest {
    static String resource(String name) {
        try (InputStream in = IdentifyTextTest.class.getResourceAsStream("nvme-cli-2.16/" + name)) {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(String name) {
        try (InputStream in = IdentifyTextTest.class.getResourceAsStream("nvme-cli-2.16/" + name)) {
            assertNotNull(in, name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sparse-id-ctrl", "dense-id-ctrl"})
    void controllerAsNvmeCli(String name) {
        IdentifyController c = IdentifyController.decode(bytes(name + ".bin"));
        assertEquals(resource(name + ".txt"), IdentifyText.controller(c, false));
        assertEquals(resource(name + "-H.txt"), IdentifyText.controller(c, true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sparse-id-ns:1", "dense-id-ns:2"})
    void namespaceAsNvmeCli(String fixture) {
        String name = fixture.split(":")[0];
        long nsid = Long.parseLong(fixture.split(":")[1]);
        IdentifyNamespace n = IdentifyNamespace.decode(bytes(name + ".bin"));
        assertEquals(resource(name + ".txt"), IdentifyText.namespace(n, nsid, false));
        assertEquals(resource(name + "-H.txt"), IdentifyText.namespace(n, nsid, true));
    }

    private static void le(byte[] b, int off, long v, int bytes) {
        for (int i = 0; i < bytes; i++)
            b[off + i] = (byte) (v >>> (8 * i));
    }

    /** stdout_id_ctrl_power's lines, written out by hand from its format strings. */
    @Test
    void powerStateLines() {
        byte[] b = new byte[4096];
        int ps = 2048;
        le(b, ps, 2500, 2);
        b[ps + 3] = 3;                              // MXPS (0.0001 W), NOPS
        le(b, ps + 4, 10, 4);
        le(b, ps + 8, 20, 4);
        b[ps + 12] = 1; b[ps + 13] = 2; b[ps + 14] = 3; b[ps + 15] = 4;
        le(b, ps + 16, 150, 2);
        b[ps + 18] = 0x40;                          // idle scale 0.0001 W
        le(b, ps + 20, 3, 2);
        b[ps + 22] = (byte) 0x82;                   // active scale 0.01 W, workload 2
        b[ps + 23] = 5; b[ps + 24] = 100; b[ps + 26] = 3;
        String text = IdentifyText.controller(IdentifyController.decode(b), false);
        assertTrue(text.endsWith("ofcs      : 0\n"
                + "ps      0 : mp:0.2500W non-operational enlat:10 exlat:20 rrt:1 rrl:2\n"
                + "            rwt:3 rwl:4 idle_power:0.0150W active_power:0.03W\n"
                + "            active_power_workload:80K 128KiB SW\n"
                + "            emergency power fail recovery time: 5 (unit: 1 millisecond)\n"
                + "            forced quiescence vault time: reserved\n"
                + "            emergency power fail vault time: -\n"), text);
        assertTrue(text.startsWith("NVME Identify Controller:\nvid       : 0\nssvid     : 0\n"
                + "sn        :                     \n"), text);
    }

    /** The lbaf lines of stdout_id_ns, written out by hand from its format strings. */
    @Test
    void lbaFormatLines() {
        byte[] b = new byte[4096];
        b[25] = 1;                                  // nlbaf: two formats
        b[26] = 1;                                  // flbas: the second in use
        le(b, 128, 8, 2); b[130] = 9; b[131] = 2;
        b[134] = 12;
        IdentifyNamespace n = IdentifyNamespace.decode(b);
        assertTrue(IdentifyText.namespace(n, 7, false).endsWith("eui64   : 0000000000000000\n"
                + "lbaf  0 : ms:8   lbads:9  rp:0x2 \n"
                + "lbaf  1 : ms:0   lbads:12 rp:0 (in use)\n"));
        String human = IdentifyText.namespace(n, 7, true);
        assertTrue(human.startsWith("NVME Identify Namespace 7:\nnsze    : 0\tTotal size in logical blocks\n"), human);
        assertTrue(human.endsWith(
                "LBA Format  0 : Metadata Size: 8   bytes - Data Size: 512 bytes - Relative Performance: 0x2 Good \n"
                + "LBA Format  1 : Metadata Size: 0   bytes - Data Size: 4096 bytes - Relative Performance: 0 Best (in use)\n"),
                human);
        assertTrue(human.contains("\nnsattr\t: 0\n  [0:0] : 0\tNamespace Not Write Protected\n\n"), human);
    }

    /**
     * The simulated controller's descriptors of NSID 1, against 2.16's stdout_id_ns_descs without
     * and with its verbose flag ({@code -v} in nvme-cli).
     */
    @Test
    void descriptorsAsNvmeCli() {
        NamespaceIdDescriptors d = new NamespaceIdDescriptors(List.of(
                new NamespaceIdDescriptors.Eui64("acde480000000001"),
                new NamespaceIdDescriptors.Nguid("6e766d657363616e0000000000000001"),
                new NamespaceIdDescriptors.Uuid(UUID.nameUUIDFromBytes("nvmescan-sim:1".getBytes(StandardCharsets.US_ASCII))),
                new NamespaceIdDescriptors.Csi(0)));
        assertEquals(resource("sim-ns-descs-1.txt"), IdentifyText.descriptors(d, 1, false));
        assertEquals(resource("sim-ns-descs-1-v.txt"), IdentifyText.descriptors(d, 1, true));
    }
}
