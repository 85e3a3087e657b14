package io.isoworker.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Files the benchmarks read from the bench jar and the scratch folders they delete. */
public final class BenchFiles {

    private BenchFiles() {
    }

    /** A UTF-8 text file of {@code bench/src/main/resources/}, e.g. {@code compare/hello.js}. */
    public static String resource(String path) {
        try (InputStream in = BenchFiles.class.getResourceAsStream("/" + path)) {
            if (in == null) {
                throw new IllegalStateException("resource " + path + " is missing from the bench jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read resource " + path, e);
        }
    }

    /** Deletes {@code root} and everything under it; nothing when it does not exist. */
    public static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + root, e);
        }
    }
}
