package dev.nvmescan.scanner.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine;

/** {@code 500ms}, {@code 5s}, {@code 2m}. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern P = Pattern.compile("(\\d{1,9})(ms|s|m)");

    @Override
    public Duration convert(String value) {
        Matcher m = P.matcher(value.trim());
        if (!m.matches())
            throw new CommandLine.TypeConversionException("'" + value + "' is not a duration such as 500ms, 5s or 2m");
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
    }
}
