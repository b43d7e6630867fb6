/**
 * The io_uring backend: a ring set up and mapped with raw system calls, a dispatcher that carries
 * commands from any thread onto it and completions back on one thread, and the admin channel that
 * sends {@code NVME_URING_CMD_ADMIN} through it.
 */
package dev.nvmescan.nativebindings.uring;
