/**
 * The bridge to Linux NVMe devices: admin commands through the passthrough ioctl or io_uring, the
 * Identify data structures, and a simulated controller behind the same
 * {@link dev.nvmescan.nativebindings.AdminChannel}.
 *
 * <p>Its downcalls need native access, granted to this module alone:
 * {@code --enable-native-access=dev.nvmescan.nativebindings}.
 */
module dev.nvmescan.nativebindings {
    exports dev.nvmescan.nativebindings;
    exports dev.nvmescan.nativebindings.identify;
    exports dev.nvmescan.nativebindings.sim;
}
