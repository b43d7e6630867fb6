package dev.nvmescan.scanner.sysfs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reading sysfs as libnvme does: attribute values and directory entries. */
final class SysfsFiles {
    private SysfsFiles() {}

    /**
     * The value of attribute {@code name} of {@code dir}, as libnvme's {@code nvme_get_attr} reads it:
     * one trailing newline and then trailing spaces removed (Identify strings are space padded);
     * empty when the file is missing, unreadable or empty, or its show() fails (a controller going
     * away), as libnvme takes all of these.
     */
    static Optional<String> attribute(Path dir, String name) {
        String v;
        try {
            v = Files.readString(dir.resolve(name));
        } catch (IOException e) {
            return Optional.empty();
        }
        if (v.endsWith("\n"))
            v = v.substring(0, v.length() - 1);
        int end = v.length();
        while (end > 0 && v.charAt(end - 1) == ' ')
            end--;
        return end == 0 ? Optional.empty() : Optional.of(v.substring(0, end));
    }

    /** Attribute {@code name} as an unsigned decimal, empty when absent or not a number. */
    static Optional<Long> number(Path dir, String name) {
        try {
            return attribute(dir, name).map(Long::parseUnsignedLong);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * The names in {@code dir}, sorted by {@link String#compareTo} (libnvme's {@code alphasort} in
     * the C locale); empty when {@code dir} is missing.
     *
     * @throws UncheckedIOException the directory exists but could not be read
     */
    static List<String> entries(Path dir) {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir))
            return out;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(p -> out.add(p.getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(null);
        return out;
    }
}
