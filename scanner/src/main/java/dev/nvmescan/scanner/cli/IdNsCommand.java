package dev.nvmescan.scanner.cli;

import dev.nvmescan.nativebindings.AdminCommand;
import dev.nvmescan.nativebindings.identify.IdentifyNamespace;
import dev.nvmescan.scanner.output.IdentifyJson;
import dev.nvmescan.scanner.output.IdentifyText;
import dev.nvmescan.scanner.output.JsonWriter;

import java.lang.foreign.MemorySegment;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "id-ns", mixinStandardHelpOptions = true, header = "Identify Namespace of one NSID, as nvme-cli prints it.", description = "Identify Namespace (CNS 00h) of NSID, printed like nvme-cli's id-ns.",
        footerHeading = "%nExamples:%n",
        footer = {"  nvmescan id-ns -n 1 /dev/nvme0", "  nvmescan id-ns -n 3 -o json 'sim:?namespaces=4&lba=4096'"})
final class IdNsCommand extends NamespaceCommand {
    int cns() { return AdminCommand.CNS_NAMESPACE; }

    @Option(names = {"-H", "--human-readable"}, description = "decode the bit fields under each field and the LBA formats in words, as nvme-cli -H (-v too)")
    boolean humanReadable;

    void print(JsonWriter w, MemorySegment data) {
        IdentifyJson.namespace(w, IdentifyNamespace.decode(data), humanReadable || device.verbose);
    }

    String text(MemorySegment data, long nsid) {
        return IdentifyText.namespace(IdentifyNamespace.decode(data), nsid, humanReadable || device.verbose);
    }
}
