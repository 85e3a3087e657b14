package io.isoworker.runtime.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.isoworker.api.Binding;

/**
 * A project's local secrets for {@code isoworker dev}, as wrangler reads them: {@code .dev.vars} in the project folder
 * (with {@code --env NAME}, {@code .dev.vars.NAME} instead when it exists), in dotenv syntax: {@code NAME=value} per
 * line, {@code #} comments, an optional {@code export } prefix, values optionally in single quotes (taken as written)
 * or double quotes (with {@code \n}, {@code \t}, {@code \"} and {@code \\} escapes, and spanning lines). Each becomes a
 * secret binding, which replaces a {@code vars} entry of the same name.
 */
final class DevVars {

    private DevVars() {
    }

    /** The file {@code dev} reads in {@code dir} for {@code env} (null: the top level), or null when none exists. */
    static Path file(Path dir, String env) {
        if (env != null) {
            Path forEnv = dir.resolve(".dev.vars." + env);
            if (Files.isRegularFile(forEnv)) {
                return forEnv;
            }
        }
        Path plain = dir.resolve(".dev.vars");
        return Files.isRegularFile(plain) ? plain : null;
    }

    /** The secrets in {@code dir} for {@code env}: none when there is no such file. */
    static List<Binding> read(Path dir, String env) throws IOException {
        Path file = file(dir, env);
        return file == null ? List.of() : parse(file.getFileName().toString(), Files.readString(file));
    }

    static List<Binding> parse(String fileName, String text) throws IOException {
        Map<String, Binding> out = new LinkedHashMap<>();
        int i = 0;
        int line = 1;
        int n = text.length();
        while (i < n) {
            int lineStart = i;
            int startLine = line;
            int end = text.indexOf('\n', i);
            if (end < 0) {
                end = n;
            }
            String raw = text.substring(i, end).strip();
            if (raw.isEmpty() || raw.startsWith("#")) {
                i = end + 1;
                line++;
                continue;
            }
            if (raw.startsWith("export ")) {
                raw = raw.substring("export ".length()).strip();
            }
            int eq = raw.indexOf('=');
            if (eq <= 0) {
                throw new IOException(fileName + " line " + startLine + ": expected NAME=value");
            }
            String name = raw.substring(0, eq).strip();
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IOException(fileName + " line " + startLine + ": '" + name + "' is not a variable name");
            }
            int valueStart = text.indexOf('=', lineStart) + 1;
            while (valueStart < n && (text.charAt(valueStart) == ' ' || text.charAt(valueStart) == '\t')) {
                valueStart++;
            }
            String value;
            if (valueStart < n && (text.charAt(valueStart) == '"' || text.charAt(valueStart) == '\'')) {
                char quote = text.charAt(valueStart);
                StringBuilder sb = new StringBuilder();
                int j = valueStart + 1;
                boolean closed = false;
                while (j < n) {
                    char c = text.charAt(j);
                    if (c == '\n') {
                        line++;
                    }
                    if (c == quote) {
                        closed = true;
                        j++;
                        break;
                    }
                    if (quote == '"' && c == '\\' && j + 1 < n) {
                        char e = text.charAt(j + 1);
                        switch (e) {
                            case 'n' -> sb.append('\n');
                            case 't' -> sb.append('\t');
                            case 'r' -> sb.append('\r');
                            case '"' -> sb.append('"');
                            case '\\' -> sb.append('\\');
                            default -> sb.append('\\').append(e);
                        }
                        j += 2;
                        continue;
                    }
                    sb.append(c);
                    j++;
                }
                if (!closed) {
                    throw new IOException(fileName + " line " + startLine + ": the value of " + name
                            + " opens a quote it never closes");
                }
                value = sb.toString();
                end = text.indexOf('\n', j);
                if (end < 0) {
                    end = n;
                }
                String rest = text.substring(j, end).strip();
                if (!rest.isEmpty() && !rest.startsWith("#")) {
                    throw new IOException(fileName + " line " + line + ": unexpected text after the quoted value of "
                            + name);
                }
            } else {
                String unquoted = text.substring(Math.min(valueStart, end), end);
                int comment = unquoted.indexOf(" #");
                value = (comment >= 0 ? unquoted.substring(0, comment) : unquoted).strip();
            }
            try {
                out.put(name, new Binding.SecretText(name, value));
            } catch (IllegalArgumentException e) {
                throw new IOException(fileName + " line " + startLine + ": " + e.getMessage());
            }
            i = end + 1;
            line++;
        }
        return new ArrayList<>(out.values());
    }
}
