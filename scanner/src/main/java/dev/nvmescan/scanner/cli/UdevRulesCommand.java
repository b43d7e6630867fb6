package dev.nvmescan.scanner.cli;

import dev.nvmescan.scanner.naming.UdevRules;
import dev.nvmescan.scanner.output.OutputFormat;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

@Command(name = "udev-rules", mixinStandardHelpOptions = true, sortOptions = false,
        header = "udev rules that give every namespace stable links under /dev/nvmescan.",
        description = {"Scans the controllers (DEVICEs, or every controller) and prints udev rules that make, for every namespace, /dev/nvmescan/SUBSYSTEM/nsid/NSID and /dev/nvmescan/SUBSYSTEM/position/P (its position in the NSID list now, the namespace found again by its unique ID). SUBSYSTEM is the subsystem's alias or NQN, never a kernel instance number, so the links survive reboots, reconnects and the kernel's naming namespaces in completion order. With multipath they point at the head device.",
            "", "The rules are static, keyed on sysfs attributes (subsysnqn, nsid, wwid): udev starts no program per event. NSID links also appear for namespaces added later; position links need the rules made again after namespaces are added or removed (nvmescan diff tells)."},
        footerHeading = "%nExamples:%n",
        footer = {"  nvmescan udev-rules                       print the rules for every controller",
            "  nvmescan udev-rules --install && udevadm control --reload && udevadm trigger --subsystem-match=block",
            "  echo 'prod nqn.2014-08.org.example:array1' >> /etc/nvmescan/aliases   /dev/nvmescan/prod/...",
            "", "Exit status: 0 all good, 1 some namespaces failed (they may lack a position link), 2 usage,",
            "3 a controller not usable (nothing installed), 130 interrupted."})
final class UdevRulesCommand implements java.util.concurrent.Callable<Integer> {
    @CommandLine.ParentCommand Nvmescan root;
    @Spec CommandSpec spec;
    @Mixin DeviceOptions device;
    @Mixin NamingScan naming;

    @Parameters(paramLabel = "DEVICE", arity = "0..*", description = "controllers such as /dev/nvme0 (default: every controller)")
    List<String> paths = new ArrayList<>();

    @Option(names = "--install", description = "write the rules to RULES_DIR/" + UdevRules.FILE + " instead of printing them")
    boolean install;

    @Option(names = "--rules-dir", paramLabel = "RULES_DIR", description = "where --install writes (default: /etc/udev/rules.d)")
    Path rulesDir;

    @Override
    public Integer call() throws IOException {
        if (device.format != OutputFormat.normal)
            throw new IllegalArgumentException("udev-rules prints rules: no -o");
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        var links = naming.links(root.env);
        NamingScan.Result r = NamingScan.scan(root.env, device, paths, err);
        if (r.code() == Nvmescan.DEVICE || r.code() == Nvmescan.INTERRUPTED)
            return r.code();                            // rules without some controllers would drop their links
        List<String> skipped = new ArrayList<>();
        String rules = UdevRules.of(links, r.found().namespaces(), skipped);
        skipped.forEach(s -> err.println("nvmescan: " + s));
        if (!install) {
            out.print(rules);
            out.flush();
            return r.code();
        }
        Path dir = rulesDir != null ? rulesDir : root.env.etcRoot.resolve("udev/rules.d");
        Files.createDirectories(dir);
        Path file = dir.resolve(UdevRules.FILE), tmp = dir.resolve("." + UdevRules.FILE + ".tmp");
        Files.writeString(tmp, rules);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        err.println("nvmescan: wrote " + file + " (" + r.found().namespaces().size() + " namespaces, "
                + r.found().subsystems().size() + " subsystems); apply: udevadm control --reload && udevadm trigger"
                + " --action=change --subsystem-match=block");
        err.flush();
        return r.code();
    }
}
