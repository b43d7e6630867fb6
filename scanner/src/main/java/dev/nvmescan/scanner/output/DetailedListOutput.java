package dev.nvmescan.scanner.output;

import dev.nvmescan.nativebindings.AdminChannel;
import dev.nvmescan.nativebindings.identify.IdentifyController;
import dev.nvmescan.scanner.NamespaceEntry;
import dev.nvmescan.scanner.ScanSummary;
import dev.nvmescan.scanner.host.HostScan;
import dev.nvmescan.scanner.sysfs.Controller;
import dev.nvmescan.scanner.sysfs.Host;
import dev.nvmescan.scanner.sysfs.NamespaceDevice;
import dev.nvmescan.scanner.sysfs.NvmeTree;
import dev.nvmescan.scanner.sysfs.PathDevice;
import dev.nvmescan.scanner.sysfs.Subsystem;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code nvmescan list -v}: the tree of hosts, subsystems, controllers and namespaces, as nvme-cli
 * 2.16 prints {@code nvme list -v}. JSON, nvme-cli's {@code json_detail_list}: {@code {"Devices":
 * [{"HostNQN", "HostID", "Subsystems": [{"Subsystem", "SubsystemNQN", "Controllers":
 * [{"Controller", "Cntlid", "SerialNumber", "ModelNumber", "Firmware", "Transport", "Address",
 * "Slot", "Namespaces": [ns, ...], "Paths": [{"Path", "ANAState"}, ...]}, ...], "Namespaces": [ns,
 * ...]}]}]}}, each ns {@code {"NameSpace" (device name), "Generic", "NSID", "UsedBytes",
 * "MaximumLBA", "PhysicalSize", "SectorSize"}}: a controller's own namespaces under it, multipath
 * heads under their subsystem. Text: nvme-cli's three tables (subsystems, controllers, namespaces).
 * Controller and path attributes come from sysfs, namespaces from the scan (see {@link ListOutput}).
 *
 * <p>Streaming: the controllers' parts are written as they report, in order; a subsystem's heads
 * come after its last controller, so they are held until then (the Identify data of one
 * subsystem's heads).
 */
public final class DetailedListOutput {
    private final PrintWriter out;
    private final OutputFormat format;
    private final NvmeTree tree;
    private final Optional<Host> local;
    private final List<Controller> order;
    private final JsonWriter json;
    private boolean hostOpen;
    private Host openHost;
    private Subsystem openSubsystem;
    private final List<NamespaceEntry> heads = new ArrayList<>();

    /**
     * @param local    the host identity of controllers that show none (PCIe)
     * @param order    the controllers, as {@link #grouped} orders them
     */
    public DetailedListOutput(PrintWriter out, OutputFormat format, NvmeTree tree, Optional<Host> local,
                              List<Controller> order) {
        if (format == OutputFormat.ndjson)
            throw new IllegalArgumentException("list -v prints -o normal or json");
        this.out = out;
        this.format = format;
        this.tree = tree;
        this.local = local;
        this.order = List.copyOf(order);
        this.json = ScanOutput.json(out, format);
    }

    /**
     * {@code controllers} (by subsystem NQN, then instance) grouped by host, hosts in the order
     * they first appear: the order the tree's JSON nests them in.
     */
    public static List<Controller> grouped(List<Controller> controllers, Optional<Host> local) {
        Map<Optional<Host>, List<Controller>> byHost = new LinkedHashMap<>();
        for (Controller c : controllers)
            byHost.computeIfAbsent(hostOf(c, local), k -> new ArrayList<>()).add(c);
        return byHost.values().stream().flatMap(List::stream).toList();
    }

    /** A controller's host: the one it was connected with, else this host's default (libnvme's rule). */
    private static Optional<Host> hostOf(Controller c, Optional<Host> local) {
        return c.hostnqn().isPresent() ? Optional.of(new Host(c.hostnqn().get(), c.hostid())) : local;
    }

    /** Starts the document; in text, the subsystem and controller tables (from sysfs alone). */
    public void begin() {
        if (format == OutputFormat.json) {
            json.beginObject().name("Devices").beginArray();
        } else {
            subsystemTable();
            controllerTable();
            out.printf("%-17s %-17s %-10s %-49s %-16s %-16s%n", "Device", "Generic", "NSID", "Usage", "Format",
                    "Controllers");
            out.printf("%s %s %s %s %s %s%n", "-".repeat(17), "-".repeat(17), "-".repeat(10), "-".repeat(49),
                    "-".repeat(16), "-".repeat(16));
        }
        out.flush();
    }

    /** Ends the document, once every controller reported. */
    public void end() {
        if (format == OutputFormat.json) {
            closeSubsystem();
            closeHost();
            json.endArray().endObject().newline();
        }
        out.flush();
    }

    /** The part of the k-th controller of the order; parts report in order. */
    public HostScan.ControllerListener controller(int k) {
        Controller c = order.get(k);
        return new HostScan.ControllerListener() {
            private boolean open;

            private void start() {
                if (open)
                    return;
                open = true;
                if (format == OutputFormat.json)
                    openController(c);
            }

            @Override
            public void opened(AdminChannel channel) {
                start();
            }

            @Override
            public void controller(IdentifyController id) {}

            @Override
            public void published(NamespaceEntry e) {
                start();
                Optional<NamespaceDevice> d = ListOutput.device(tree, e);
                if (format == OutputFormat.normal)
                    textRow(e, d);
                else if (d.map(NamespaceDevice::head).orElse(false))
                    heads.add(e);
                else
                    namespace(e, d);
                out.flush();
            }

            @Override
            public void finished(ScanSummary summary) {
                close();
            }

            @Override
            public void failed(Exception failure) {
                start();
                close();
            }

            private void close() {
                if (format == OutputFormat.json)
                    closeController(c);
                out.flush();
            }
        };
    }

    private void openController(Controller c) {
        Host host = hostOf(c, local).orElse(null);
        Subsystem s = tree.subsystemOf(c);
        if (openSubsystem != null && (!Objects.equals(host, openHost) || !s.equals(openSubsystem)))
            closeSubsystem();
        if (hostOpen && !Objects.equals(host, openHost))
            closeHost();
        if (!hostOpen) {
            hostOpen = true;
            openHost = host;
            json.beginObject();
            ListOutput.nullable(json, "HostNQN", host != null ? host.nqn() : null);
            if (host != null && host.id().isPresent())
                json.field("HostID", host.id().get());
            json.name("Subsystems").beginArray();
        }
        if (openSubsystem == null) {
            openSubsystem = s;
            json.beginObject().field("Subsystem", s.name()).field("SubsystemNQN", s.nqn())
                    .name("Controllers").beginArray();
        }
        json.beginObject().field("Controller", c.name()).field("Cntlid", c.cntlid())
                .field("SerialNumber", c.serial()).field("ModelNumber", c.model()).field("Firmware", c.firmware())
                .field("Transport", c.transport());
        json.field("Address", c.address().orElse("")).field("Slot", c.slot().orElse(""));   // libnvme's "" for none
        json.name("Namespaces").beginArray();
    }

    private void closeController(Controller c) {
        json.endArray().name("Paths").beginArray();
        for (PathDevice p : c.paths())
            json.beginObject().field("Path", p.name()).field("ANAState", p.anaState()).endObject();
        json.endArray().endObject();
    }

    private void closeSubsystem() {
        if (openSubsystem == null)
            return;
        json.endArray().name("Namespaces").beginArray();
        for (NamespaceEntry e : heads)
            namespace(e, ListOutput.device(tree, e));
        heads.clear();
        json.endArray().endObject();
        openSubsystem = null;
    }

    private void closeHost() {
        if (!hostOpen)
            return;
        json.endArray().endObject();
        hostOpen = false;
        openHost = null;
    }

    /** One namespace object of nvme-cli's detailed list. */
    private void namespace(NamespaceEntry e, Optional<NamespaceDevice> d) {
        json.beginObject();
        ListOutput.nullable(json, "NameSpace", d.map(NamespaceDevice::name).orElse(null));
        ListOutput.nullable(json, "Generic", d.map(NamespaceDevice::genericName).orElse(null));
        json.name("NSID").unsigned(Integer.toUnsignedLong(e.nsid()));
        if (e.ok()) {
            Geometry g = Geometry.of(e, d);
            json.name("UsedBytes").unsigned(g.usedBytes()).name("MaximumLBA").unsigned(g.lbaCount())
                    .name("PhysicalSize").unsigned(g.physicalBytes()).field("SectorSize", g.lbaSize());
        } else {
            json.field("Error", e.failure().message());
        }
        json.endObject();
    }

    private void subsystemTable() {
        out.printf("%-16s %-96s %s%n", "Subsystem", "Subsystem-NQN", "Controllers");
        out.printf("%s %s %s%n", "-".repeat(16), "-".repeat(96), "-".repeat(16));
        for (Subsystem s : subsystemsInOrder())
            out.printf("%-16s %-96s %s%n", s.name(), s.nqn(), order.stream().filter(c -> c.subsystem().equals(s.name()))
                    .map(Controller::name).collect(Collectors.joining(", ")));
        out.println();
    }

    private void controllerTable() {
        out.printf("%-16s %-6s %-20s %-40s %-8s %-6s %-14s %-6s %-12s %-16s%n", "Device", "Cntlid", "SN", "MN", "FR",
                "TxPort", "Address", "Slot", "Subsystem", "Namespaces");
        out.printf("%s %s %s %s %s %s %s %s %s %s%n", "-".repeat(16), "-".repeat(6), "-".repeat(20), "-".repeat(40),
                "-".repeat(8), "-".repeat(6), "-".repeat(14), "-".repeat(6), "-".repeat(12), "-".repeat(16));
        for (Controller c : order) {
            List<String> names = new ArrayList<>();
            c.namespaces().forEach(n -> names.add(n.name()));
            c.paths().forEach(p -> names.add(p.head()));
            out.printf("%-16s %-6s %-20s %-40s %-8s %-6s %-14s %-6s %-12s %s%n", c.name(), c.cntlid(), c.serial(),
                    c.model(), c.firmware(), c.transport(), c.address().orElse(""), c.slot().orElse(""),
                    c.subsystem(), String.join(", ", names));
        }
        out.println();
    }

    private List<Subsystem> subsystemsInOrder() {
        List<Subsystem> out = new ArrayList<>();
        for (Controller c : order) {
            Subsystem s = tree.subsystemOf(c);
            if (!out.contains(s))
                out.add(s);
        }
        return out;
    }

    /** One row of the namespace table: nvme-cli's {@code stdout_ns_details}, then the controllers reaching it. */
    private void textRow(NamespaceEntry e, Optional<NamespaceDevice> d) {
        String node = d.map(x -> ListOutput.fullPath(tree, x.name())).orElse("-");
        String generic = d.map(x -> ListOutput.fullPath(tree, x.genericName())).orElse("-");
        String nsid = "0x" + Integer.toHexString(e.nsid());
        if (!e.ok()) {
            out.printf("%-17s %-17s %-10s error (%s): %s%n", node, generic, nsid, e.failure().kind(), e.failure().message());
            return;
        }
        Geometry g = Geometry.of(e, d);
        String controllers = d.map(x -> x.head() ? x.paths().stream().map(PathDevice::controller)
                .collect(Collectors.joining(", ")) : tree.controllerOf(x.name()).map(Controller::name).orElse(""))
                .orElse("");
        ListOutput.Scaled used = ListOutput.Scaled.si(g.usedBytes()), size = ListOutput.Scaled.si(g.physicalBytes());
        ListOutput.Scaled usedBin = ListOutput.Scaled.binary(g.usedBytes()), sizeBin = ListOutput.Scaled.binary(g.physicalBytes());
        out.printf(Locale.ROOT, "%-17s %-17s %-10s %-21s %-25s %-16s %s%n", node, generic, nsid,
                String.format(Locale.ROOT, "%6.2f %1sB / %6.2f %1sB", used.value(), used.suffix(), size.value(), size.suffix()),
                String.format(Locale.ROOT, "(%7.2f %2sB / %7.2f %2sB)", usedBin.value(), usedBin.suffix(), sizeBin.value(),
                        sizeBin.suffix()), ListOutput.lbaText(g), controllers);
    }
}
