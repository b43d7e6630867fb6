package dev.nvmescan.scanner.naming;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Names users give subsystems for their stable links, read from a file of lines {@code NAME NQN}
 * ({@code #} starts a comment): {@code /dev/nvmescan/NAME/...} instead of
 * {@code /dev/nvmescan/NQN/...}. NAME is letters, digits, {@code .}, {@code _} and {@code -}.
 */
public final class SubsystemAliases {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final SubsystemAliases NONE = new SubsystemAliases(Map.of());

    private final Map<String, String> byNqn;

    private SubsystemAliases(Map<String, String> byNqn) {
        this.byNqn = Map.copyOf(byNqn);
    }

    /** {@return no aliases} */
    public static SubsystemAliases none() {
        return NONE;
    }

    /**
     * Reads {@code file}; a missing file has no aliases.
     *
     * @param file lines {@code NAME NQN}
     * @return its aliases
     * @throws IllegalArgumentException a line is malformed, or a name or NQN appears twice
     * @throws UncheckedIOException     the file exists but could not be read
     */
    public static SubsystemAliases read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            return NONE;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> byNqn = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String[] w = (hash >= 0 ? line.substring(0, hash) : line).trim().split("\\s+");
            if (w.length == 1 && w[0].isEmpty())
                continue;
            String where = file + ":" + (i + 1) + ": ";
            if (w.length != 2)
                throw new IllegalArgumentException(where + "expected NAME NQN, found: " + line.trim());
            if (!NAME.matcher(w[0]).matches())
                throw new IllegalArgumentException(where + "a name is letters, digits, '.', '_' and '-': " + w[0]);
            if (byNqn.containsValue(w[0]) || byNqn.containsKey(w[1]))
                throw new IllegalArgumentException(where + "given twice: " + line.trim());
            byNqn.put(w[1], w[0]);
        }
        return new SubsystemAliases(byNqn);
    }

    /**
     * A subsystem's alias.
     *
     * @param nqn the subsystem NQN
     * @return the name given to it, if any
     */
    public Optional<String> alias(String nqn) {
        return Optional.ofNullable(byNqn.get(nqn));
    }
}
