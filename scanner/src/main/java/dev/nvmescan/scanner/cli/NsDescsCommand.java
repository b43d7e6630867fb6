package dev.nvmescan.scanner.cli;

import dev.nvmescan.nativebindings.AdminCommand;
import dev.nvmescan.nativebindings.identify.NamespaceIdDescriptors;
import dev.nvmescan.scanner.output.IdentifyJson;
import dev.nvmescan.scanner.output.IdentifyText;
import dev.nvmescan.scanner.output.JsonWriter;

import java.lang.foreign.MemorySegment;

import picocli.CommandLine.Command;

@Command(name = "ns-descs", mixinStandardHelpOptions = true, header = "Namespace Identification Descriptors of one NSID, as nvme-cli prints them.", description = "Namespace Identification Descriptor list (CNS 03h) of NSID, like nvme-cli's ns-descs.",
        footerHeading = "%nExamples:%n",
        footer = {"  nvmescan ns-descs -n 1 -o json /dev/nvme0", "  nvmescan ns-descs -n 2 'sim:?namespaces=4&zoned=2'"})
final class NsDescsCommand extends NamespaceCommand {
    int cns() { return AdminCommand.CNS_NS_DESCRIPTORS; }

    void print(JsonWriter w, MemorySegment data) {
        IdentifyJson.descriptors(w, NamespaceIdDescriptors.decode(data));
    }

    String text(MemorySegment data, long nsid) {
        return IdentifyText.descriptors(NamespaceIdDescriptors.decode(data), nsid, device.verbose);
    }
}
