/**
 * How results are written: a JSON writer, nvme-cli's JSON for the Identify structures, the scan's
 * text, JSON and NDJSON output, and a Chrome trace of every command.
 */
package dev.nvmescan.scanner.output;
