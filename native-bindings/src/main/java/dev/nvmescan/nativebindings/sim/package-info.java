/**
 * A simulated NVMe controller behind {@link dev.nvmescan.nativebindings.AdminChannel}: real Identify
 * data, configurable latency and queue depth, injected faults, and the {@code sim:?...} device spec.
 */
package dev.nvmescan.nativebindings.sim;
