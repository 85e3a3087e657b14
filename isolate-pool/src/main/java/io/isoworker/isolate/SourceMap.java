package io.isoworker.isolate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A decoded source map (version 3, as bundlers write it): the {@code mappings} (Base64 VLQ), {@code sources} (joined to
 * {@code sourceRoot}), and {@code names}. Index maps ({@code sections}) are not supported. Immutable and thread-safe.
 *
 * <p>Lines and columns in and out of {@link #originalPosition} are 1-based, as in JavaScript stack traces (the map
 * itself counts from 0). Source paths are normalised: {@code ./} and {@code a/../} are folded, and the leading
 * {@code ../} segments that a bundle's output folder puts in front of the project's files are dropped, so
 * {@code ../../src/index.ts} reads {@code src/index.ts}.
 */
public final class SourceMap {

    /** Where generated code came from: 1-based line and column in {@code source}; {@code name} may be null. */
    public record Position(String source, int line, int column, String name) {
    }

    private static final int FIELDS = 5;
    private static final int[] NO_SEGMENTS = new int[0];
    private static final int[] BASE64 = new int[128];

    static {
        Arrays.fill(BASE64, -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            BASE64[alphabet.charAt(i)] = i;
        }
    }

    private final List<String> sources;
    private final List<String> names;
    /**
     * Per generated line (0-based), its segments sorted by generated column, {@value #FIELDS} ints each: generated
     * column, source index (-1: the segment maps to nothing), original line, original column, name index (-1: none).
     */
    private final int[][] lines;

    private SourceMap(List<String> sources, List<String> names, int[][] lines) {
        this.sources = sources;
        this.names = names;
        this.lines = lines;
    }

    /**
     * Parses a source map's JSON text.
     *
     * @throws IllegalArgumentException not JSON, not a version 3 map, an index map, or malformed {@code mappings}
     */
    public static SourceMap parse(String json) {
        Object parsed = new JsonReader(json).document();
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("a source map is a JSON object");
        }
        if (map.containsKey("sections")) {
            throw new IllegalArgumentException("index source maps (with sections) are not supported");
        }
        if (!(map.get("version") instanceof Double v) || v != 3) {
            throw new IllegalArgumentException("not a version 3 source map (version: " + map.get("version") + ")");
        }
        String root = map.get("sourceRoot") instanceof String s ? s : "";
        List<String> sources = new ArrayList<>();
        for (Object o : list(map.get("sources"), "sources")) {
            sources.add(o instanceof String s ? normalise(join(root, s)) : null);
        }
        List<String> names = new ArrayList<>();
        for (Object o : list(map.get("names"), "names")) {
            names.add(o instanceof String s ? s : null);
        }
        if (!(map.get("mappings") instanceof String mappings)) {
            throw new IllegalArgumentException("the source map has no mappings string");
        }
        return new SourceMap(java.util.Collections.unmodifiableList(sources),
                java.util.Collections.unmodifiableList(names), decode(mappings, sources.size(), names.size()));
    }

    /** The sources, as normalised (an entry may be null where the map has null). */
    public List<String> sources() {
        return sources;
    }

    public List<String> names() {
        return names;
    }

    /** How many generated lines the map covers. */
    public int lineCount() {
        return lines.length;
    }

    /**
     * Where the generated code at {@code line}:{@code column} (1-based) came from: the last mapping at or before the
     * column on that line, or the line's first mapping when the column is before it (or {@code column < 1}, unknown).
     * Empty when the line maps to nothing there.
     */
    public Optional<Position> originalPosition(int line, int column) {
        if (line < 1 || line > lines.length) {
            return Optional.empty();
        }
        int[] segs = lines[line - 1];
        int count = segs.length / FIELDS;
        if (count == 0) {
            return Optional.empty();
        }
        int col = column - 1;
        int lo = 0;
        int hi = count - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (segs[mid * FIELDS] <= col) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (found < 0) {
            found = 0;
        }
        int at = found * FIELDS;
        int source = segs[at + 1];
        if (source < 0 || sources.get(source) == null) {
            return Optional.empty();
        }
        int name = segs[at + 4];
        return Optional.of(new Position(sources.get(source), segs[at + 2] + 1, segs[at + 3] + 1,
                name < 0 ? null : names.get(name)));
    }

    private static List<?> list(Object value, String key) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> l)) {
            throw new IllegalArgumentException("the source map's " + key + " is not an array");
        }
        return l;
    }

    private static String join(String root, String source) {
        if (root.isEmpty() || source.startsWith("/") || source.contains("://")) {
            return source;
        }
        return root.endsWith("/") ? root + source : root + "/" + source;
    }

    /** Folds {@code .} and {@code x/..} segments and drops leading {@code ..} segments (and a {@code file://}). */
    static String normalise(String path) {
        String p = path.startsWith("file://") ? path.substring("file://".length()) : path;
        if (p.contains("://")) {
            return p;
        }
        boolean absolute = p.startsWith("/");
        List<String> out = new ArrayList<>();
        for (String segment : p.replace('\\', '/').split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (!out.isEmpty()) {
                    out.removeLast();
                }
                continue;
            }
            out.add(segment);
        }
        return (absolute ? "/" : "") + String.join("/", out);
    }

    /** Decodes {@code mappings}: lines separated by {@code ;}, segments by {@code ,}, fields in Base64 VLQ. */
    private static int[][] decode(String mappings, int sourceCount, int nameCount) {
        List<int[]> lines = new ArrayList<>();
        int[] fields = new int[FIELDS];
        int source = 0;
        int origLine = 0;
        int origCol = 0;
        int name = 0;
        int[] line = new int[16 * FIELDS];
        int used = 0;
        int genCol = 0;
        boolean sorted = true;
        int pos = 0;
        int n = mappings.length();
        while (pos <= n) {
            char c = pos < n ? mappings.charAt(pos) : ';';
            if (c == ';') {
                int[] segs = used == 0 ? NO_SEGMENTS : Arrays.copyOf(line, used);
                if (!sorted) {
                    segs = sortByColumn(segs);
                }
                lines.add(segs);
                used = 0;
                genCol = 0;
                sorted = true;
                pos++;
                continue;
            }
            if (c == ',') {
                pos++;
                continue;
            }
            int count = 0;
            while (pos < n && mappings.charAt(pos) != ',' && mappings.charAt(pos) != ';') {
                if (count == FIELDS) {
                    throw new IllegalArgumentException("a mappings segment has more than 5 fields (at " + pos + ")");
                }
                int[] read = vlq(mappings, pos);
                fields[count++] = read[0];
                pos = read[1];
            }
            if (count != 1 && count != 4 && count != 5) {
                throw new IllegalArgumentException("a mappings segment has " + count + " fields (at " + pos + ")");
            }
            int previous = genCol;
            genCol += fields[0];
            if (genCol < previous) {
                sorted = false;
            }
            if (genCol < 0) {
                throw new IllegalArgumentException("a negative generated column in mappings (at " + pos + ")");
            }
            if (used + FIELDS > line.length) {
                line = Arrays.copyOf(line, line.length * 2);
            }
            line[used] = genCol;
            if (count == 1) {
                line[used + 1] = -1;
                line[used + 2] = 0;
                line[used + 3] = 0;
                line[used + 4] = -1;
            } else {
                source += fields[1];
                origLine += fields[2];
                origCol += fields[3];
                if (source < 0 || source >= sourceCount || origLine < 0 || origCol < 0) {
                    throw new IllegalArgumentException("a mapping points outside the sources (at " + pos + ")");
                }
                line[used + 1] = source;
                line[used + 2] = origLine;
                line[used + 3] = origCol;
                if (count == 5) {
                    name += fields[4];
                    if (name < 0 || name >= nameCount) {
                        throw new IllegalArgumentException("a mapping names a name the map does not have (at " + pos
                                + ")");
                    }
                    line[used + 4] = name;
                } else {
                    line[used + 4] = -1;
                }
            }
            used += FIELDS;
        }
        return lines.toArray(int[][]::new);
    }

    private static int[] sortByColumn(int[] segs) {
        int count = segs.length / FIELDS;
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(segs[a * FIELDS], segs[b * FIELDS]));
        int[] out = new int[segs.length];
        for (int i = 0; i < count; i++) {
            System.arraycopy(segs, order[i] * FIELDS, out, i * FIELDS, FIELDS);
        }
        return out;
    }

    /** One Base64 VLQ value starting at {@code pos}: {value, position after it}. */
    private static int[] vlq(String s, int pos) {
        long result = 0;
        int shift = 0;
        while (true) {
            if (pos >= s.length()) {
                throw new IllegalArgumentException("mappings end inside a VLQ value");
            }
            char c = s.charAt(pos++);
            int digit = c < 128 ? BASE64[c] : -1;
            if (digit < 0) {
                throw new IllegalArgumentException("'" + c + "' is not a Base64 digit (mappings, at " + (pos - 1)
                        + ")");
            }
            if (shift > 31) {
                throw new IllegalArgumentException("a VLQ value in mappings is too large (at " + (pos - 1) + ")");
            }
            result |= (long) (digit & 0x1f) << shift;
            shift += 5;
            if ((digit & 0x20) == 0) {
                break;
            }
        }
        long value = result >>> 1;
        if (value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a VLQ value in mappings is too large");
        }
        return new int[] {(result & 1) == 1 ? (int) -value : (int) value, pos};
    }

    /** A small JSON reader: objects (as maps), arrays (as lists), strings, numbers (as doubles), booleans, null. */
    private static final class JsonReader {
        private final String s;
        private int pos;

        JsonReader(String s) {
            this.s = s;
        }

        Object document() {
            Object v = value();
            skipSpace();
            if (pos != s.length()) {
                throw error("unexpected text after the JSON value");
            }
            return v;
        }

        private Object value() {
            skipSpace();
            if (pos >= s.length()) {
                throw error("unexpected end of the JSON text");
            }
            char c = s.charAt(pos);
            switch (c) {
                case '{' -> {
                    pos++;
                    Map<String, Object> map = new java.util.LinkedHashMap<>();
                    skipSpace();
                    if (peek() == '}') {
                        pos++;
                        return map;
                    }
                    while (true) {
                        skipSpace();
                        if (peek() != '"') {
                            throw error("expected a key");
                        }
                        String key = string();
                        skipSpace();
                        expect(':');
                        map.put(key, value());
                        skipSpace();
                        if (peek() == ',') {
                            pos++;
                        } else {
                            expect('}');
                            return map;
                        }
                    }
                }
                case '[' -> {
                    pos++;
                    List<Object> list = new ArrayList<>();
                    skipSpace();
                    if (peek() == ']') {
                        pos++;
                        return list;
                    }
                    while (true) {
                        list.add(value());
                        skipSpace();
                        if (peek() == ',') {
                            pos++;
                        } else {
                            expect(']');
                            return list;
                        }
                    }
                }
                case '"' -> {
                    return string();
                }
                case 't' -> {
                    literal("true");
                    return Boolean.TRUE;
                }
                case 'f' -> {
                    literal("false");
                    return Boolean.FALSE;
                }
                case 'n' -> {
                    literal("null");
                    return null;
                }
                default -> {
                    return number();
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (pos >= s.length()) {
                    throw error("unterminated string");
                }
                char c = s.charAt(pos++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                if (pos >= s.length()) {
                    throw error("unterminated string");
                }
                char e = s.charAt(pos++);
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (pos + 4 > s.length()) {
                            throw error("bad \\u escape");
                        }
                        try {
                            sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException ex) {
                            throw error("bad \\u escape");
                        }
                        pos += 4;
                    }
                    default -> throw error("bad escape \\" + e);
                }
            }
        }

        private Double number() {
            int start = pos;
            while (pos < s.length() && "+-0123456789.eE".indexOf(s.charAt(pos)) >= 0) {
                pos++;
            }
            try {
                return Double.valueOf(s.substring(start, pos));
            } catch (NumberFormatException e) {
                pos = start;
                throw error("unexpected character '" + s.charAt(start) + "'");
            }
        }

        private void literal(String word) {
            if (!s.startsWith(word, pos)) {
                throw error("unexpected character '" + s.charAt(pos) + "'");
            }
            pos += word.length();
        }

        private char peek() {
            return pos < s.length() ? s.charAt(pos) : '\0';
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        private void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("not valid JSON: " + what + " at offset " + pos);
        }
    }
}
