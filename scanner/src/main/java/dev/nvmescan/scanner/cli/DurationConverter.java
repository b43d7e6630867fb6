package dev.nvmescan.scanner.cli;

import dev.nvmescan.nativebindings.AdminCommand;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine;

/**
 * {@code --timeout}: {@code 500ms}, {@code 5s}, {@code 2m}, or a plain number of milliseconds, as
 * nvme-cli reads its {@code --timeout}; at most {@link AdminCommand#MAX_TIMEOUT}.
 */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern P = Pattern.compile("(\\d{1,12})(ms|s|m)?");

    @Override
    public Duration convert(String value) {
        Matcher m = P.matcher(value.trim());
        if (!m.matches())
            throw new CommandLine.TypeConversionException("'" + value
                    + "' is not a duration such as 500ms, 5s, 2m or 5000 (milliseconds)");
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2) == null ? "ms" : m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
        if (d.compareTo(AdminCommand.MAX_TIMEOUT) > 0)
            throw new CommandLine.TypeConversionException("'" + value + "' is longer than 4294967295 ms (49.7 days),"
                    + " the most the kernel takes");
        return d;
    }
}
