package dev.nvmescan.scanner.cli;

import dev.nvmescan.nativebindings.AdminChannel;
import dev.nvmescan.nativebindings.AdminCommand;
import dev.nvmescan.nativebindings.DataBuffers;
import dev.nvmescan.nativebindings.NvmeException;
import dev.nvmescan.nativebindings.identify.NamespaceList;
import dev.nvmescan.scanner.output.IdentifyJson;
import dev.nvmescan.scanner.output.JsonWriter;
import dev.nvmescan.scanner.output.OutputFormat;

import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "list-ns", mixinStandardHelpOptions = true, header = "Active Namespace ID list, every page.", description = "Active Namespace ID list (CNS 02h). Unlike nvme-cli, which stops at the first 1024 entries, every page is read until the list ends.",
        footerHeading = "%nExamples:%n",
        footer = {"  nvmescan list-ns /dev/nvme0", "  nvmescan list-ns -o json 'sim:?nsids=1,10,200-300'"})
final class ListNsCommand implements java.util.concurrent.Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DeviceOptions device;
    @Parameters(paramLabel = "DEVICE") String path;

    @Override
    public Integer call() throws Exception {
        List<Integer> all = new ArrayList<>();
        try (AdminChannel ch = device.openForOneAtATime(path); Arena arena = Arena.ofConfined()) {
            MemorySegment buf = DataBuffers.allocate(arena, DataBuffers.IDENTIFY_SIZE);
            int after = 0;
            for (;;) {
                try {
                    ch.execute(device.command(AdminCommand.activeNamespaceList(after)), buf);
                } catch (NvmeException e) {
                    throw DeviceErrors.explain(ch.device(), e);
                }
                NamespaceList page = NamespaceList.decodePage(buf, after);
                all.addAll(page.nsids());
                if (!page.full() || page.last() == 0xfffffffe)
                    break;
                after = page.last();
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (device.format == OutputFormat.normal) {
            for (int i = 0; i < all.size(); i++)
                out.printf(device.verbose ? "Identifier %4d: NSID %#x%n" : "[%4d]:%#x%n", i, Integer.toUnsignedLong(all.get(i)));
        } else {
            JsonWriter w = device.writer(out);
            IdentifyJson.namespaceList(w, all);
            w.newline();
        }
        out.flush();
        return Nvmescan.OK;
    }
}
