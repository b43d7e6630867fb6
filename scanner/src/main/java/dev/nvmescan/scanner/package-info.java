/** The ordered concurrent namespace scan and the {@code nvmescan} command line. */
package dev.nvmescan.scanner;
