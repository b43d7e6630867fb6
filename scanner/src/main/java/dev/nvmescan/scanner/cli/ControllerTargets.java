package dev.nvmescan.scanner.cli;

import dev.nvmescan.nativebindings.AdminChannels;
import dev.nvmescan.nativebindings.sim.SimulatedController;
import dev.nvmescan.scanner.host.HostScan;
import dev.nvmescan.scanner.sysfs.Controller;
import dev.nvmescan.scanner.sysfs.KernelNames;
import dev.nvmescan.scanner.sysfs.NvmeTree;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The controllers a command scans, resolved against the host's NVMe tree. */
final class ControllerTargets {
    private ControllerTargets() {}

    /**
     * One controller to scan.
     *
     * @param device as the user named it (or {@code /dev/nvmeX} for every controller)
     * @param sysfs  the controller in the tree; empty for a simulated one, or one sysfs does not show
     * @param target what a {@link HostScan} runs
     */
    record Selected(String device, Optional<Controller> sysfs, HostScan.Target target) {}

    /** Every controller the tree shows but discovery controllers, by subsystem NQN then instance. */
    static List<String> all(CliEnvironment env, NvmeTree tree) {
        List<String> out = new ArrayList<>();
        for (Controller c : tree.controllers())
            if (!tree.subsystemOf(c).discovery())
                out.add(env.devRoot.resolve(c.name()).toString());
        return out;
    }

    /** {@code devices} in the order given, each opened with {@code options} when its scan starts. */
    static List<Selected> of(CliEnvironment env, NvmeTree tree, DeviceOptions options, List<String> devices) {
        AdminChannels.Options o = options.channelOptions();
        List<Selected> out = new ArrayList<>();
        for (String d : devices) {
            Optional<Controller> c = sysfs(tree, d);
            KernelNames names = c.map(x -> tree.names(x.name())).orElseGet(KernelNames::none);
            String channel = env.channel(d);
            out.add(new Selected(d, c, new HostScan.Target(d, () -> AdminChannels.open(channel, o), names)));
        }
        return out;
    }

    /** The controller in the tree behind device {@code d}; none for a simulated controller. */
    static Optional<Controller> sysfs(NvmeTree tree, String d) {
        if (SimulatedController.isSpec(d))
            return Optional.empty();
        return tree.controllerOf(Path.of(d).getFileName().toString());
    }

    /** Whether any of {@code devices} is a real device, so the tree is worth reading. */
    static boolean anyReal(List<String> devices) {
        return devices.stream().anyMatch(d -> !SimulatedController.isSpec(d));
    }
}
