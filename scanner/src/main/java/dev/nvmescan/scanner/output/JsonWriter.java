package dev.nvmescan.scanner.output;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A streaming JSON writer: values go out as they are given, so an array of any length costs no
 * memory. {@link Style#PRETTY} indents by two spaces, like nvme-cli; {@link Style#COMPACT} writes one
 * line (NDJSON); {@link Style#TEXT} renders the same calls for people, one {@code name : value} per
 * line, nested values indented, array elements numbered. Not thread-safe.
 */
public final class JsonWriter {
    private final Appendable out;
    /** How the document is laid out. */
    public enum Style { PRETTY, COMPACT, TEXT }

    private final boolean pretty, text;
    /** Per open container, TEXT only: the index of the next array element, -1 for an object. */
    private final Deque<int[]> index = new ArrayDeque<>();
    /** Per open container: whether it already holds a member. */
    private final Deque<boolean[]> open = new ArrayDeque<>();
    private boolean afterName;

    public JsonWriter(Appendable out, Style style) {
        this.out = out;
        this.pretty = style == Style.PRETTY;
        this.text = style == Style.TEXT;
    }

    public JsonWriter beginObject() { return begin('{'); }

    public JsonWriter endObject() { return end('}'); }

    public JsonWriter beginArray() { return begin('['); }

    public JsonWriter endArray() { return end(']'); }

    public JsonWriter name(String name) {
        if (text) {
            emit("\n" + "  ".repeat(Math.max(0, open.size() - 1)) + String.format("%-10s: ", name));
            afterName = true;
            return this;
        }
        separate();
        string(name);
        emit(pretty ? ": " : ":");
        afterName = true;
        return this;
    }

    public JsonWriter value(String s) {
        separate();
        string(s);
        return this;
    }

    public JsonWriter value(long n) {
        separate();
        emit(Long.toString(n));
        return this;
    }

    /** An unsigned 64-bit value held in a long. */
    public JsonWriter unsigned(long n) {
        separate();
        emit(Long.toUnsignedString(n));
        return this;
    }

    /** A measurement, with three decimals. */
    public JsonWriter value(double d) {
        separate();
        emit(String.format(java.util.Locale.ROOT, "%.3f", d));
        return this;
    }

    /**
     * A 128-bit counter, as nvme-cli 2.16 prints it: a JSON number with every digit, however far
     * above 2^64 (nvme-cli before 2.4 printed a string).
     */
    public JsonWriter value(BigInteger n) {
        separate();
        emit(n.toString());
        return this;
    }

    /** JSON {@code null}, as nvme-cli prints a string it does not have. */
    public JsonWriter nullValue() {
        separate();
        emit(text ? "-" : "null");
        return this;
    }

    public JsonWriter value(boolean b) {
        separate();
        emit(b ? "true" : "false");
        return this;
    }

    public JsonWriter field(String name, String v) { return name(name).value(v); }

    public JsonWriter field(String name, long v) { return name(name).value(v); }

    public JsonWriter field(String name, boolean v) { return name(name).value(v); }

    public JsonWriter field(String name, BigInteger v) { return name(name).value(v); }

    /** Ends a top-level value with a newline. */
    public JsonWriter newline() {
        emit("\n");
        return this;
    }

    /** Whether every container opened has been closed. */
    public boolean complete() {
        return open.isEmpty();
    }

    private JsonWriter begin(char c) {
        if (text) {
            textElement();
            open.push(new boolean[1]);
            index.push(new int[] {c == '[' ? 0 : -1});
            return this;
        }
        separate();
        emit(String.valueOf(c));
        open.push(new boolean[1]);
        return this;
    }

    private JsonWriter end(char c) {
        if (text) {
            open.pop();
            index.pop();
            if (open.isEmpty())
                emit("\n");
            return this;
        }
        boolean any = open.pop()[0];
        if (pretty && any)
            indent();
        emit(String.valueOf(c));
        return this;
    }

    /** TEXT: numbers an element of an array, on its own line. */
    private void textElement() {
        if (afterName) {
            afterName = false;
            return;
        }
        int[] i = index.peek();
        if (i != null && i[0] >= 0)
            emit("\n" + "  ".repeat(Math.max(0, open.size() - 1)) + "[" + i[0]++ + "] ");
    }

    private void separate() {
        if (text) {
            textElement();
            return;
        }
        if (afterName) {
            afterName = false;
            return;
        }
        boolean[] top = open.peek();
        if (top == null)
            return;
        if (top[0])
            emit(",");
        top[0] = true;
        if (pretty)
            indent();
    }

    private void indent() {
        emit("\n" + "  ".repeat(open.size()));
    }

    private void string(String s) {
        if (text) {
            emit(s);
            return;
        }
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20)
                        b.append(String.format("\\u%04x", (int) c));
                    else
                        b.append(c);
                }
            }
        }
        emit(b.append('"').toString());
    }

    private void emit(String s) {
        try {
            out.append(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
