/**
 * The ordered concurrent namespace scan over an {@link dev.nvmescan.nativebindings.AdminChannel}
 * (package {@code dev.nvmescan.scanner}), every controller of a host at once in controller order
 * ({@code dev.nvmescan.scanner.host}), the host's NVMe tree and the kernel's names for what it finds
 * ({@code dev.nvmescan.scanner.sysfs}), stable links and drift ({@code dev.nvmescan.scanner.naming}),
 * and the {@code nvmescan} command line, which is not API.
 */
module dev.nvmescan.scanner {
    requires dev.nvmescan.chain;
    requires transitive dev.nvmescan.nativebindings;
    requires info.picocli;

    exports dev.nvmescan.scanner;
    exports dev.nvmescan.scanner.host;
    exports dev.nvmescan.scanner.naming;
    exports dev.nvmescan.scanner.sysfs;

    opens dev.nvmescan.scanner.cli to info.picocli;
}
