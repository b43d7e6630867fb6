/**
 * The {@code nvmescan} command line: one class per subcommand, the options they share, and the one
 * line a user reads when a device fails.
 */
package dev.nvmescan.scanner.cli;
