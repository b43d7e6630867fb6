/**
 * Scanning a host: every controller concurrently, each within its own admin-queue budget, reported
 * in controller order through a completion chain, with multipath namespaces reported once.
 */
package dev.nvmescan.scanner.host;
