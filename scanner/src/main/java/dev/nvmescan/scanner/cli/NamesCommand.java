package dev.nvmescan.scanner.cli;

import dev.nvmescan.scanner.naming.ScannedNamespace;
import dev.nvmescan.scanner.naming.StableLinks;
import dev.nvmescan.scanner.output.NamesOutput;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

@Command(name = "names", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Every namespace's stable links beside the kernel's name for it.",
        description = {"Scans the controllers (DEVICEs, or every controller) and prints, for every namespace in NSID-list order: its subsystem, NSID, list position, unique ID (the kernel's wwid), the kernel's block device (with multipath the head) and its stable links (see nvmescan udev-rules), and whether those links are in place and lead to that block device."},
        footerHeading = "%nExamples:%n",
        footer = {"  nvmescan names", "  nvmescan names -o json /dev/nvme1",
            "", "JSON: {\"namespaces\": [{\"subsystem\", \"controller\", \"nsid\", \"position\", \"unique_id\",",
            "\"block_device\", \"links\": [absolute paths], \"installed\"}, ...]}",
            "", "Exit status: 0 all good, 1 some namespaces failed, 2 usage, 3 a controller not usable, 130 interrupted."})
final class NamesCommand implements java.util.concurrent.Callable<Integer> {
    @CommandLine.ParentCommand Nvmescan root;
    @Spec CommandSpec spec;
    @Mixin DeviceOptions device;
    @Mixin NamingScan naming;

    @Parameters(paramLabel = "DEVICE", arity = "0..*", description = "controllers such as /dev/nvme0 (default: every controller)")
    List<String> paths = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        StableLinks links = naming.links(root.env);
        NamingScan.Result r = NamingScan.scan(root.env, device, paths, spec.commandLine().getErr());
        Set<ScannedNamespace> positional = new HashSet<>(StableLinks.positional(r.found().namespaces()));
        NamesOutput o = new NamesOutput(out, device.format);
        o.begin();
        for (ScannedNamespace n : r.found().namespaces())
            o.namespace(n, links.key(n.subsystem()), links.of(n, positional.contains(n)));
        o.end();
        return r.code();
    }
}
