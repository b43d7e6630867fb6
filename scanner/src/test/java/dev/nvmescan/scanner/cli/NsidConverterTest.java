package dev.nvmescan.scanner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

class NsidConverterTest {
    private final NsidConverter c = new NsidConverter();

    @Test
    void takesDecimalAndHexAsNvmeCliDoes() {
        assertEquals(1L, c.convert("0x1"));
        assertEquals(31L, c.convert("0X1f"));
        assertEquals(0xfffffffeL, c.convert("0xfffffffe"));
        assertEquals(10L, c.convert("10"));
    }

    @Test
    void refusesZeroTheBroadcastIdAndJunkInWords() {
        for (String v : new String[] {"0", "0xffffffff", "x", "0x", "1e3"})
            assertEquals("'" + v + "' is not an NSID (1 to 4294967294, or 0x1 to 0xfffffffe)",
                    assertThrows(CommandLine.TypeConversionException.class, () -> c.convert(v)).getMessage());
    }
}
