/**
 * The ordered concurrent namespace scan: {@link dev.nvmescan.scanner.NamespaceScanner} identifies
 * every namespace of a controller at once and publishes them to a
 * {@link dev.nvmescan.scanner.ScanListener} in NSID-list order, through the completion chain.
 */
package dev.nvmescan.scanner;
