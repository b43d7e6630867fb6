package dev.nvmescan.scanner.cli;

import dev.nvmescan.nativebindings.AdminChannel;
import dev.nvmescan.nativebindings.AdminCommand;
import dev.nvmescan.nativebindings.DataBuffers;
import dev.nvmescan.nativebindings.NvmeException;
import dev.nvmescan.nativebindings.NvmeStatusException;
import dev.nvmescan.scanner.output.JsonWriter;
import dev.nvmescan.scanner.output.OutputFormat;

import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Runs one namespace-scoped Identify; a status is exit 1 with one line, as nvme-cli does. */
abstract class NamespaceCommand implements java.util.concurrent.Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DeviceOptions device;
    @Mixin RawBinary raw;
    @Parameters(paramLabel = "DEVICE") String path;
    @Option(names = {"-n", "--namespace-id"}, paramLabel = "NSID", converter = NsidConverter.class,
            description = "namespace ID, decimal or 0x hex; a namespace device (/dev/nvme0n1, /dev/ng0n1) names its own")
    Long nsid;

    abstract int cns();

    abstract void print(JsonWriter w, MemorySegment data);

    /** The structure as nvme-cli's normal output prints it, title line included. */
    abstract String text(MemorySegment data, long nsid);

    @Override
    public Integer call() throws Exception {
        try (AdminChannel ch = device.openForOneAtATime(path); Arena arena = Arena.ofConfined()) {
            long nsid = this.nsid != null ? this.nsid : ch.namespaceId().orElseThrow(() -> new CommandLine.ParameterException(
                    spec.commandLine(), path + " is a controller: give the namespace with -n NSID"));
            MemorySegment buf = DataBuffers.allocate(arena, DataBuffers.IDENTIFY_SIZE);
            try {
                ch.execute(device.command(AdminCommand.identify(cns(), (int) nsid, AdminCommand.CSI_NVM)), buf);
            } catch (NvmeStatusException e) {
                spec.commandLine().getErr().println("nvmescan: " + e.getMessage());
                return Nvmescan.FAILED;
            } catch (NvmeException e) {
                throw DeviceErrors.explain(ch.device(), e);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (raw.wanted(device)) {
                RawBinary.write(out, buf);
                return Nvmescan.OK;
            }
            if (device.format == OutputFormat.normal) {
                out.print(text(buf, nsid));
            } else {
                JsonWriter w = device.writer(out);
                print(w, buf);
                w.newline();
            }
            out.flush();
            return Nvmescan.OK;
        }
    }
}
