/**
 * The completion chain: operations added in order run concurrently, and each publishes only after
 * its predecessor completed. Pure Java, no native access.
 */
module dev.nvmescan.chain {
    exports dev.nvmescan.chain;
}
