package dev.nvmescan.scanner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

class DurationConverterTest {
    private final DurationConverter c = new DurationConverter();

    @Test
    void aPlainNumberIsMillisecondsAsInNvmeCli() {
        assertEquals(Duration.ofMillis(5000), c.convert("5000"));
        assertEquals(Duration.ofMillis(500), c.convert("500ms"));
        assertEquals(Duration.ofSeconds(5), c.convert("5s"));
        assertEquals(Duration.ofMinutes(2), c.convert("2m"));
    }

    @Test
    void fractionsAndUnitsItDoesNotKnowAreRefusedInWords() {
        for (String v : new String[] {"0.5ms", "5h", "-1", "PT5S"})
            assertEquals("'" + v + "' is not a duration such as 500ms, 5s, 2m or 5000 (milliseconds)",
                    assertThrows(CommandLine.TypeConversionException.class, () -> c.convert(v)).getMessage());
    }
}
