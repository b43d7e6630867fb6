package dev.nvmescan.scanner.cli;

import dev.nvmescan.nativebindings.AdminChannel;
import dev.nvmescan.nativebindings.AdminCommand;
import dev.nvmescan.nativebindings.DataBuffers;
import dev.nvmescan.nativebindings.NvmeException;
import dev.nvmescan.nativebindings.identify.IdentifyController;
import dev.nvmescan.scanner.output.IdentifyJson;
import dev.nvmescan.scanner.output.IdentifyText;
import dev.nvmescan.scanner.output.JsonWriter;
import dev.nvmescan.scanner.output.OutputFormat;

import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "id-ctrl", mixinStandardHelpOptions = true, header = "Identify Controller, as nvme-cli prints it.", description = "Identify Controller (CNS 01h), printed like nvme-cli's id-ctrl.",
        footerHeading = "%nExamples:%n",
        footer = {"  nvmescan id-ctrl /dev/nvme0", "  nvmescan id-ctrl -o json 'sim:?namespaces=4'"})
final class IdCtrlCommand implements java.util.concurrent.Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DeviceOptions device;
    @Mixin RawBinary raw;
    @Parameters(paramLabel = "DEVICE") String path;
    @Option(names = {"-H", "--human-readable"}, description = "decode the bit fields under each field, as nvme-cli -H (text output; -v too)")
    boolean humanReadable;

    @Override
    public Integer call() throws Exception {
        try (AdminChannel ch = device.openForOneAtATime(path); Arena arena = Arena.ofConfined()) {
            MemorySegment buf = DataBuffers.allocate(arena, DataBuffers.IDENTIFY_SIZE);
            try {
                ch.execute(device.command(AdminCommand.identify(AdminCommand.CNS_CONTROLLER, 0, AdminCommand.CSI_NVM)), buf);
            } catch (NvmeException e) {
                throw DeviceErrors.explain(ch.device(), e);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (raw.wanted(device)) {
                RawBinary.write(out, buf);
                return Nvmescan.OK;
            }
            IdentifyController c = IdentifyController.decode(buf);
            if (device.format == OutputFormat.normal) {
                out.print(IdentifyText.controller(c, humanReadable || device.verbose));
            } else {
                JsonWriter w = device.writer(out);
                IdentifyJson.controller(w, c);
                w.newline();
            }
            out.flush();
            return Nvmescan.OK;
        }
    }
}
