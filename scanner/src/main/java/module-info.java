/**
 * The ordered concurrent namespace scan over an {@link dev.nvmescan.nativebindings.AdminChannel}
 * (package {@code dev.nvmescan.scanner}), the kernel's names for what it finds (package
 * {@code dev.nvmescan.scanner.sysfs}), and the {@code nvmescan} command line, which is not API.
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
