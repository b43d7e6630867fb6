package dev.nvmescan.scanner.cli;

import picocli.CommandLine;

/** {@code -n}: an NSID from 1 to 4294967294, decimal or hex ({@code 0x1}), as nvme-cli takes it. */
final class NsidConverter implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        String v = value.trim();
        boolean hex = v.startsWith("0x") || v.startsWith("0X");
        String digits = hex ? v.substring(2) : v;
        if (digits.isEmpty() || digits.length() > (hex ? 8 : 10) || !digits.chars().allMatch(c -> hex
                ? Character.digit(c, 16) >= 0 : c >= '0' && c <= '9'))
            throw new CommandLine.TypeConversionException("'" + value + "' is not an NSID (1 to 4294967294, or 0x1 to 0xfffffffe)");
        long n = Long.parseLong(digits, hex ? 16 : 10);
        if (n < 1 || n > 0xfffffffeL)
            throw new CommandLine.TypeConversionException("'" + value + "' is not an NSID (1 to 4294967294, or 0x1 to 0xfffffffe)");
        return n;
    }
}
