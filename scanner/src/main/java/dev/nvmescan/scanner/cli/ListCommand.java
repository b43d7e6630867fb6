package dev.nvmescan.scanner.cli;

import dev.nvmescan.nativebindings.AdminChannel;
import dev.nvmescan.nativebindings.NvmeException;
import dev.nvmescan.nativebindings.identify.IdentifyController;
import dev.nvmescan.nativebindings.identify.IdentifyNamespace;
import dev.nvmescan.scanner.CommandObserver;
import dev.nvmescan.scanner.NamespaceEntry;
import dev.nvmescan.scanner.NamespaceScanner;
import dev.nvmescan.scanner.ScanListener;
import dev.nvmescan.scanner.ScanMode;
import dev.nvmescan.scanner.ScanSummary;
import dev.nvmescan.scanner.output.JsonWriter;
import dev.nvmescan.scanner.output.OutputFormat;
import dev.nvmescan.scanner.output.ScanOutput;
import dev.nvmescan.scanner.sysfs.KernelNames;

import java.io.PrintWriter;
import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

@Command(name = "list", mixinStandardHelpOptions = true, header = "Every NVMe controller and namespace on this host.", description = "Every NVMe controller and namespace on this host, from sysfs (/sys/class/nvme) and Identify, sorted by controller and NSID, like nvme list. Needs root to send Identify.",
        footerHeading = "%nExamples:%n", footer = {"  nvmescan list", "  nvmescan list -o json"})
final class ListCommand implements java.util.concurrent.Callable<Integer> {
    @CommandLine.ParentCommand Nvmescan root;
    @Spec CommandSpec spec;
    @Mixin DeviceOptions device;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        List<String> ctrls = KernelNames.controllers(root.env.sysRoot);
        if (ctrls.isEmpty()) {
            if (device.format == OutputFormat.normal)
                out.println("No NVMe controllers found (" + root.env.sysRoot.resolve("class/nvme") + " is empty).");
            else
                device.writer(out).beginObject().name("Devices").beginArray().endArray().endObject().newline();
            out.flush();
            return Nvmescan.OK;
        }
        int code = Nvmescan.OK;
        JsonWriter w = device.format == OutputFormat.normal ? null : device.writer(out);
        if (w != null && device.format == OutputFormat.json)
            w.beginObject().name("Devices").beginArray();
        else if (w == null)
            out.printf("%-16s %-16s %-20s %-40s %-10s %-12s %-10s %s%n", "Node", "Generic", "SN", "Model",
                    "NSID", "Usage", "Format", "FW Rev");
        for (String ctrl : ctrls) {
            String path = root.env.devRoot.resolve(ctrl).toString();
            NamespaceScanner.Options o = new NamespaceScanner.Options(ScanMode.ORDERED, device.queueDepth, device.timeout, 0);
            try (AdminChannel ch = device.open(path)) {
                IdentifyController[] id = new IdentifyController[1];
                ScanListener row = new ScanListener() {
                    @Override
                    public void controller(IdentifyController c) {
                        id[0] = c;
                    }

                    @Override
                    public void published(NamespaceEntry e) {
                        listRow(out, w, device.format, id[0], e);
                    }
                };
                NamespaceScanner scanner = new NamespaceScanner(ch, o,
                        KernelNames.read(root.env.sysRoot, root.env.devRoot, ctrl), CommandObserver.NONE);
                root.env.onCancel(scanner::cancel);
                ScanSummary s;
                try {
                    s = scanner.scan(row);
                } finally {
                    root.env.onCancel(null);
                }
                if (s.cancelled()) {
                    code = Nvmescan.INTERRUPTED;
                    break;
                }
                if (s.failed() > 0 && code == Nvmescan.OK)
                    code = Nvmescan.FAILED;
            } catch (DeviceException e) {
                err.println("nvmescan: " + e.getMessage());
                code = Nvmescan.DEVICE;
            } catch (NvmeException e) {
                err.println("nvmescan: " + DeviceErrors.explain(path, e).getMessage());
                code = Nvmescan.DEVICE;
            }
        }
        if (w != null && device.format == OutputFormat.json)
            w.endArray().endObject().newline();
        out.flush();
        return code;
    }

    private static void listRow(PrintWriter out, JsonWriter w, OutputFormat f, IdentifyController c, NamespaceEntry e) {
        String node = e.devices().block().orElse("-"), generic = e.devices().generic().orElse("-");
        if (f == OutputFormat.normal) {
            if (!e.ok()) {
                out.printf("%-16s %-16s %-20s %-40s %-10s error (%s)%n", node, generic, c.sn(), c.mn(),
                        Integer.toUnsignedString(e.nsid()), e.failure().kind());
                return;
            }
            IdentifyNamespace.LbaFormat lf = e.namespace().lbaFormat();
            out.printf("%-16s %-16s %-20s %-40s %-10s %-12s %-10s %s%n", node, generic, c.sn(), c.mn(),
                    Integer.toUnsignedString(e.nsid()), ScanOutput.bytes(e.namespace().nuse(), lf.dataSize()),
                    lf.dataSize() + " B + " + lf.ms(), c.fr());
            return;
        }
        w.beginObject().field("DevicePath", node).field("GenericPath", generic).field("SerialNumber", c.sn())
                .field("ModelNumber", c.mn()).field("Firmware", c.fr())
                .name("NameSpace").unsigned(Integer.toUnsignedLong(e.nsid()));
        if (e.ok()) {
            IdentifyNamespace.LbaFormat lf = e.namespace().lbaFormat();
            w.name("UsedBytes").unsigned(e.namespace().nuse() * lf.dataSize())
                    .name("PhysicalSize").unsigned(e.namespace().nsze() * lf.dataSize())
                    .field("SectorSize", lf.dataSize());
        } else {
            w.field("Error", e.failure().message());
        }
        w.endObject();
        if (f == OutputFormat.ndjson)
            w.newline();
    }
}
