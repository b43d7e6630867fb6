/** A lock-free completion chain: operations run concurrently and finish in the order they were added. */
package dev.nvmescan.chain;
