package dev.nvmescan.scanner.naming;

import dev.nvmescan.nativebindings.identify.IdentifyController;
import dev.nvmescan.nativebindings.identify.IdentifyNamespace;
import dev.nvmescan.nativebindings.identify.NamespaceIdDescriptors;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A namespace's unique ID in the form of the kernel's {@code wwid} attribute, derived from
 * Identify as the kernel derives it: {@code uuid.}UUID, else {@code eui.}NGUID, else
 * {@code eui.}EUI-64 (descriptor list first, Identify Namespace's fields where it has none), else
 * {@code nvme.}VID-SERIAL-MODEL-NSID with serial and model as hex. For namespaces sysfs does not
 * show (yet): where it does, its own {@code wwid} is the one udev rules match.
 */
final class UniqueId {
    private static final HexFormat HEX = HexFormat.of();

    private UniqueId() {}

    static String of(IdentifyController c, IdentifyNamespace n, NamespaceIdDescriptors d, int nsid) {
        if (d.uuid().isPresent())
            return "uuid." + d.uuid().get();
        String nguid = d.nguid().orElse(n.nguid());
        if (!zero(nguid))
            return "eui." + nguid;
        String eui = d.eui64().orElse(n.eui64());
        if (!zero(eui))
            return "eui." + eui;
        return String.format(Locale.ROOT, "nvme.%04x-%s-%s-%08x", c.vid(), hex(c.sn()), hex(c.mn()), nsid);
    }

    private static boolean zero(String hex) {
        return hex.chars().allMatch(ch -> ch == '0');
    }

    private static String hex(String field) {
        return HEX.formatHex(field.getBytes(StandardCharsets.ISO_8859_1));
    }
}
